import { Refusal } from '../http/refusal';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import { makeImage } from '../testing/images';
import { sidFor } from '../testing/fake-vlm';
import { structureFromReply } from '../vlm/reply';
import type { SidStructure } from '../../captions/structure';
import type { Database } from '../db';
import { captions } from '../db/schema';
import { resetConfig } from '../config';
import { blobStore, LocalDiskStore, useBlobStore } from '../blobs/store';
import { createUser } from '../auth/users';
import { addReferenceImages, createSubject, getSubject } from '../subjects/subjects';
import { queueDrafts, saveDraft } from '../vlm/drafting';
import { approve, editStructure, nextItem, reject, setExpression, reviewOverview } from './review';
import { captionHistoryOf } from './store';
import { captionProgress, trainingCaptions } from './training';
import { captionTxtZip, datasetZip, exportRows, metadataJsonl } from './exports';
import yauzl from 'yauzl';

/** Reads a ZIP back with yauzl, as any unzip tool would. */
async function unzip(stream: AsyncIterable<Uint8Array>): Promise<Map<string, Buffer>> {
	const parts: Uint8Array[] = [];
	for await (const c of stream) parts.push(c);
	const buf = Buffer.concat(parts);
	return new Promise((resolve, reject) => {
		const out = new Map<string, Buffer>();
		yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
			if (err) return reject(err);
			zip.on('entry', (e) =>
				zip.openReadStream(e, (er, s) => {
					if (er) return reject(er);
					const chunks: Buffer[] = [];
					s.on('data', (c: Buffer) => chunks.push(c));
					s.on('end', () => (out.set(e.fileName, Buffer.concat(chunks)), zip.readEntry()));
				})
			);
			zip.on('end', () => resolve(out));
			zip.readEntry();
		});
	});
}

/** A structure with one object, as an annotator would type it. */
const onA = (relation: string, name: string, details: string, subject = ''): SidStructure => ({
	objects: [{ relation, name, details }],
	background: null,
	subject
});

describe.each(DB_KINDS)('review queue on %s', (kind) => {
	let d: Database;
	let subjectId: string;
	let imageIds: string[];
	let ann1: string;
	let ann2: string;

	beforeAll(async () => {
		const dir = mkdtempSync(join(tmpdir(), 'sid-review-'));
		process.env.DATA_DIR = dir;
		resetConfig();
		useBlobStore(new LocalDiskStore(join(dir, 'blobs')));
		d = await freshDatabase(kind);
		const s = await createSubject(d.db, {
			name: 'dog6',
			classNoun: 'dog',
			identifier: 'sks',
			kind: 'live'
		});
		subjectId = s.id;
		const files = await Promise.all(
			[0, 1, 2].map(async (i) => ({
				name: `0${i}.png`,
				bytes: await makeImage('png', 64, { r: 40 * i, g: 90, b: 10 })
			}))
		);
		await addReferenceImages(d.db, s.id, files);
		imageIds = (await getSubject(d.db, s.id))!.images.map((i) => i.id);
		for (const id of imageIds) {
			await saveDraft(d.db, {
				referenceImageId: id,
				structure: structureFromReply(sidFor('dog')),
				model: 'demo-recording',
				instructionId: null,
				jobId: null
			});
		}
		ann1 = (
			await createUser(d.db, {
				email: 'a1@example.org',
				displayName: 'A1',
				role: 'annotator',
				password: 'password-123456'
			})
		).id;
		ann2 = (
			await createUser(d.db, {
				email: 'a2@example.org',
				displayName: 'A2',
				role: 'annotator',
				password: 'password-123456'
			})
		).id;
	}, 60_000);

	afterAll(async () => {
		await d?.close();
		useBlobStore(undefined);
		delete process.env.DATA_DIR;
		resetConfig();
	});

	it('never hands two annotators the same item, and keeps an item with its holder', async () => {
		const [a, b] = await Promise.all([nextItem(d.db, ann1), nextItem(d.db, ann2)]);
		expect(a).toBeTruthy();
		expect(b).toBeTruthy();
		expect(a).not.toBe(b);
		expect(await nextItem(d.db, ann1)).toBe(a);
		// An abandoned lease returns the item to the queue.
		await d.db
			.update(captions)
			.set({ leaseExpiresAt: sql`now() - interval '1 minute'` })
			.where(eq(captions.referenceImageId, a!));
		const c = await nextItem(d.db, ann1);
		expect([a, imageIds.find((x) => x !== a && x !== b)]).toContain(c);
	});

	it('keeps the first of two saves and answers the second with a conflict showing both', async () => {
		const id = imageIds[0];
		const [{ version }] = await d.db
			.select({ version: captions.version })
			.from(captions)
			.where(eq(captions.referenceImageId, id));
		const results = await Promise.allSettled([
			editStructure(d.db, id, ann1, {
				version,
				structure: onA('sitting on', 'a sofa', 'a green sofa')
			}),
			editStructure(d.db, id, ann2, {
				version,
				structure: onA('sitting on', 'a sofa', 'a brown sofa')
			})
		]);
		const ok = results.filter((r) => r.status === 'fulfilled');
		const bad = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
		expect(ok).toHaveLength(1);
		expect(bad).toHaveLength(1);
		const refusal = bad[0].reason as Refusal;
		expect(refusal).toBeInstanceOf(Refusal);
		expect(refusal.status).toBe(409);
		const conflict = refusal.extra.conflict as {
			mine: Record<string, unknown>;
			theirs: Record<string, unknown>;
		};
		expect(conflict.theirs.version).toBe(version + 1);
		expect(conflict.mine.structure).not.toEqual(conflict.theirs.structure);
	});

	it('flags block approval until fixed or overridden; expressions are placed after [v] [class]', async () => {
		const id = imageIds[1];
		const cur = async () =>
			(await d.db.select().from(captions).where(eq(captions.referenceImageId, id)))[0];
		let c = await editStructure(d.db, id, ann1, {
			version: (await cur()).version,
			structure: onA('on', 'a rug', 'a red rug, its fur wet')
		});
		expect(c.flags.map((f) => f.code)).toContain('subject-detail');
		const overview = await reviewOverview(d.db);
		expect(overview.find((o) => o.id === subjectId)).toMatchObject({ flagged: 1, inReview: 3 });
		await expect(
			approve(d.db, id, ann1, { version: c.version, descriptionCase: 3, overrideReason: '' })
		).rejects.toMatchObject({ status: 400 });
		c = await editStructure(d.db, id, ann1, {
			version: c.version,
			structure: onA('on', 'a rug', 'a red rug', 'with fluffy golden fur')
		});
		expect(c.flags).toEqual([]);
		c = await setExpression(d.db, id, ann1, {
			version: c.version,
			expression: 'with its tongue out'
		});
		expect(c.flags).toEqual([]);
		c = await approve(d.db, id, ann1, {
			version: c.version,
			descriptionCase: 3,
			overrideReason: ''
		});
		expect(c.status).toBe('approved');
		const history = await captionHistoryOf(d.db, id);
		expect(history.map((h) => h.action)).toEqual([
			'approve',
			'expression',
			'edit',
			'edit',
			'draft'
		]);
		expect(history.at(-1)!.source).toBe('model');
		expect(history[0].userId).toBe(ann1);
	});

	it('gives training captions for all four cases only once everything is approved', async () => {
		const case1 = await trainingCaptions(d.db, subjectId, 1);
		expect(case1.map((c) => c.caption)).toEqual(['a sks dog', 'a sks dog', 'a sks dog']);
		await expect(trainingCaptions(d.db, subjectId, 3)).rejects.toMatchObject({ status: 409 });
		for (const id of [imageIds[0], imageIds[2]]) {
			const [c] = await d.db.select().from(captions).where(eq(captions.referenceImageId, id));
			await approve(d.db, id, ann2, {
				version: c.version,
				descriptionCase: 3,
				overrideReason: c.flags.length ? 'checked by hand' : ''
			});
		}
		expect(await captionProgress(d.db, subjectId)).toMatchObject({
			total: 3,
			drafted: 3,
			inReview: 0,
			approved: 3
		});
		const sid = await trainingCaptions(d.db, subjectId, 3);
		expect(sid[1].caption).toBe('a sks dog with its tongue out on a red rug');
		// Cases 2 and 4 are approved on their own, from the same structure.
		await expect(trainingCaptions(d.db, subjectId, 2)).rejects.toMatchObject({ status: 409 });
		for (const id of imageIds) {
			for (const n of [2, 4]) {
				const [c] = await d.db.select().from(captions).where(eq(captions.referenceImageId, id));
				await approve(d.db, id, ann2, {
					version: c.version,
					descriptionCase: n,
					overrideReason: ''
				});
			}
		}
		const case2 = await trainingCaptions(d.db, subjectId, 2);
		expect(case2[2].caption).toBe('a sks dog sitting on a sofa, next to a cushion');
		expect(case2[1].caption).toBe('a sks dog with its tongue out on a rug');
		const case4 = await trainingCaptions(d.db, subjectId, 4);
		expect(case4[2].caption).toContain('fluffy');
		expect(case4[1].caption).toBe(
			'a sks dog with its tongue out with fluffy golden fur, on a red rug'
		);
		expect(sid.every((s) => /^[0-9a-f]{64}$/.test(s.blobSha256))).toBe(true);

		// Exports: diffusers imagefolder metadata.jsonl and per-image .txt files, per case.
		const rows = await exportRows(d.db, subjectId, 3);
		const lines = metadataJsonl(rows)
			.trim()
			.split('\n')
			.map((l) => JSON.parse(l));
		expect(lines).toEqual([
			{ file_name: '00.png', text: sid[0].caption },
			{ file_name: '01.png', text: 'a sks dog with its tongue out on a red rug' },
			{ file_name: '02.png', text: sid[2].caption }
		]);
		const txt = await unzip(captionTxtZip(rows));
		expect(txt.get('01.txt')?.toString('utf8')).toBe(
			'a sks dog with its tongue out on a red rug\n'
		);
		expect([...txt.keys()].sort()).toEqual(['00.txt', '01.txt', '02.txt']);
		// The dataset ZIP: the images under exactly the names metadata.jsonl lists, stored bytes.
		const data = await unzip(datasetZip(rows));
		expect([...data.keys()].sort()).toEqual(['00.png', '01.png', '02.png', 'metadata.jsonl']);
		expect(data.get('metadata.jsonl')!.toString('utf8')).toBe(metadataJsonl(rows));
		for (const r of rows) {
			expect(data.get(r.fileName)!.equals((await blobStore().get(r.blobSha256))!)).toBe(true);
		}
	});

	it('a rejection needs a reason and leaves the queue', async () => {
		const id = imageIds[2];
		const [c] = await d.db.select().from(captions).where(eq(captions.referenceImageId, id));
		const r = await reject(d.db, id, ann1, { version: c.version, reason: 'wrong objects' });
		expect(r.status).toBe('rejected');
		expect(r.rejectReason).toBe('wrong objects');
		await expect(trainingCaptions(d.db, subjectId, 3)).rejects.toThrow(/02\.png/);
		// "Draft missing SIDs" asks again for the rejected image only.
		expect(await queueDrafts(d.db, { subjectIds: [subjectId] })).toBe(1);
	});

	it('keeps cases 2-4 in step after an edit of the structure, and asks for their approval again', async () => {
		const id = imageIds[0];
		const [before] = await d.db.select().from(captions).where(eq(captions.referenceImageId, id));
		expect(before.approvedCases).toEqual([2, 4]);
		const c = await editStructure(d.db, id, ann1, {
			version: before.version,
			structure: {
				objects: [{ relation: 'next to', name: 'a ball', details: 'a chewed yellow tennis ball' }],
				background: { relation: 'in front of', name: 'a fence', details: 'a white picket fence' },
				subject: 'with a thick cream coat'
			}
		});
		expect(c.caseTwo).toBe('a sks dog next to a ball, in front of a fence');
		expect(c.sid).toBe(
			'a sks dog next to a chewed yellow tennis ball, in front of a white picket fence'
		);
		expect(c.caseFour).toBe(
			'a sks dog with a thick cream coat, next to a chewed yellow tennis ball, in front of a white picket fence'
		);
		expect(c.flags).toEqual([]);
		expect(c.approvedCases).toEqual([]);
		expect(c.status).toBe('review');
		await expect(trainingCaptions(d.db, subjectId, 2)).rejects.toMatchObject({ status: 409 });
	});
});
