import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import { makeImage } from '../testing/images';
import { startFakeVlm, type FakeVlm } from '../testing/fake-vlm';
import type { Database } from '../db';
import { captions, vlmCalls } from '../db/schema';
import { resetConfig } from '../config';
import { LocalDiskStore, useBlobStore } from '../blobs/store';
import { addReferenceImages, createSubject, getSubject } from '../subjects/subjects';
import { saveDraft } from './drafting';
import { queueSelectivityPass, runSelectivityJob } from './selectivity-pass';
import type { VlmSettings } from './client';

describe.each(DB_KINDS)('the optional second selectivity pass on %s', (kind) => {
	let d: Database;
	let fake: FakeVlm;
	let imageIds: string[];

	beforeAll(async () => {
		const dir = mkdtempSync(join(tmpdir(), 'sid-pass-'));
		process.env.DATA_DIR = dir;
		resetConfig();
		useBlobStore(new LocalDiskStore(join(dir, 'blobs')));
		d = await freshDatabase(kind);
		fake = await startFakeVlm({});
		const s = await createSubject(d.db, {
			name: 'dog',
			classNoun: 'dog',
			identifier: 'sks',
			kind: 'live'
		});
		const files = await Promise.all(
			[0, 1].map(async (i) => ({
				name: `0${i}.png`,
				bytes: await makeImage('png', 64, { r: 90 * i, g: 30, b: 60 })
			}))
		);
		await addReferenceImages(d.db, s.id, files);
		imageIds = (await getSubject(d.db, s.id))!.images.map((i) => i.id);
		const onRug = (details: string) => ({
			objects: [{ relation: 'on', name: 'a rug', details }],
			background: null,
			subject: ''
		});
		for (const [id, details] of [
			[imageIds[0], 'a red rug'],
			[imageIds[1], 'a red rug, its fluffy fur wet']
		]) {
			await saveDraft(d.db, {
				referenceImageId: id,
				structure: onRug(details),
				model: 'demo-recording',
				instructionId: null,
				jobId: null
			});
		}
	}, 60_000);

	afterAll(async () => {
		await fake?.close();
		await d?.close();
		useBlobStore(undefined);
		delete process.env.DATA_DIR;
		resetConfig();
	});

	it('asks with the SID quoted and records the verdict with the SID it judged', async () => {
		const settings: VlmSettings = {
			apiKey: 'k',
			baseURL: fake.url,
			model: 'judge-1',
			timeoutMs: 5000
		};
		for (const id of imageIds) {
			const job = await queueSelectivityPass(d.db, id);
			await runSelectivityJob(d.db, { job, signal: new AbortController().signal }, settings);
		}
		const rows = await d.db.select().from(captions);
		const clean = rows.find((r) => r.referenceImageId === imageIds[0])!;
		const flawed = rows.find((r) => r.referenceImageId === imageIds[1])!;
		expect(clean.vlmVerdict).toMatchObject({
			describesSubject: false,
			sid: 'a sks dog on a red rug',
			model: 'judge-1'
		});
		expect(flawed.vlmVerdict).toMatchObject({ describesSubject: true, words: 'fluffy' });
		// Recorded beside the caption: no new version, so nobody's open edit goes stale.
		expect(flawed.version).toBe(1);
		const sent = JSON.stringify(fake.requests.at(-1)!.body);
		expect(sent).toContain('a sks dog on a red rug, its fluffy fur wet');
		expect(sent).toContain('Does this sentence describe the appearance of the dog itself');
		const calls = await d.db.select().from(vlmCalls).where(eq(vlmCalls.purpose, 'selectivity'));
		expect(calls.map((c) => c.ok)).toEqual([true, true]);
	});
});
