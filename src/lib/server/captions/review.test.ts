import { Refusal } from '../http/refusal';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import { makeImage } from '../testing/images';
import { sidFor } from '../testing/fake-vlm';
import type { Database } from '../db';
import { captions } from '../db/schema';
import { resetConfig } from '../config';
import { LocalDiskStore, useBlobStore } from '../blobs/store';
import { createUser } from '../auth/users';
import { addReferenceImages, createSubject, getSubject } from '../subjects/subjects';
import { queueDrafts, saveDraft } from '../vlm/drafting';
import { approve, editSid, nextItem, reject, setExpression, reviewOverview } from './review';
import { captionHistoryOf } from './store';
import { captionProgress, trainingCaptions } from './training';
import { captionTxtZip, exportRows, metadataJsonl } from './exports';
import yauzl from 'yauzl';

/** Reads a ZIP back with yauzl, as any unzip tool would. */
function unzip(buf: Buffer): Promise<Map<string, string>> {
	return new Promise((resolve, reject) => {
		const out = new Map<string, string>();
		yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
			if (err) return reject(err);
			zip.on('entry', (e) =>
				zip.openReadStream(e, (er, s) => {
					if (er) return reject(er);
					const chunks: Buffer[] = [];
					s.on('data', (c: Buffer) => chunks.push(c));
					s.on(
						'end',
						() => (out.set(e.fileName, Buffer.concat(chunks).toString('utf8')), zip.readEntry())
					);
				})
			);
			zip.on('end', () => resolve(out));
			zip.readEntry();
		});
	});
}

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
				reply: sidFor('dog'),
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
			editSid(d.db, id, ann1, { version, sid: 'a sks dog sitting on a green sofa' }),
			editSid(d.db, id, ann2, { version, sid: 'a sks dog sitting on a brown sofa' })
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
		expect(conflict.mine.sid).not.toBe(conflict.theirs.sid);
	});

	it('flags block approval until fixed or overridden; expressions are placed after [v] [class]', async () => {
		const id = imageIds[1];
		const cur = async () =>
			(await d.db.select().from(captions).where(eq(captions.referenceImageId, id)))[0];
		let c = await editSid(d.db, id, ann1, {
			version: (await cur()).version,
			sid: 'a sks fluffy dog on a red rug'
		});
		expect(c.flags.map((f) => f.code)).toContain('subject-detail');
		const overview = await reviewOverview(d.db);
		expect(overview.find((o) => o.id === subjectId)).toMatchObject({ flagged: 1, inReview: 3 });
		await expect(
			approve(d.db, id, ann1, { version: c.version, overrideReason: '' })
		).rejects.toMatchObject({ status: 400 });
		c = await editSid(d.db, id, ann1, { version: c.version, sid: 'a sks dog on a red rug' });
		expect(c.flags).toEqual([]);
		c = await setExpression(d.db, id, ann1, {
			version: c.version,
			expression: 'with its tongue out'
		});
		expect(c.flags).toEqual([]);
		c = await approve(d.db, id, ann1, { version: c.version, overrideReason: '' });
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
		const case2 = await trainingCaptions(d.db, subjectId, 2);
		expect(case2[2].caption).toBe('a sks dog sitting on a sofa next to a cushion');
		const case4 = await trainingCaptions(d.db, subjectId, 4);
		expect(case4[2].caption).toContain('fluffy');
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
		expect(txt.get('01.txt')).toBe('a sks dog with its tongue out on a red rug\n');
		expect([...txt.keys()].sort()).toEqual(['00.txt', '01.txt', '02.txt']);
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
});
