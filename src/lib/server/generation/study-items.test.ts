import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import { makeImage } from '../testing/images';
import { smallRequest, subjectWithImages } from '../testing/worker-api';
import type { Database } from '../db';
import { items } from '../db/schema';
import { LocalDiskStore, sha256Hex, useBlobStore } from '../blobs/store';
import { createStudy, setStudyMethods } from '../studies/studies';
import { createWorkerToken } from '../workers/tokens';
import { claimOnce } from '../workers/leases';
import { storeArtifact } from '../workers/artifacts';
import { listGpuMethods } from './methods';
import { createComparisonRuns } from './runs';
import { completeRun } from './results';
import { runPayload } from './payload';
import { studiesForMethods, studyItemsFromRunPair } from './study-items';
import { Refusal } from '../http/refusal';

describe.each(DB_KINDS)('study items from a pair of GPU runs on %s', (kind) => {
	let d: Database;
	beforeAll(async () => {
		d = await freshDatabase(kind);
		useBlobStore(new LocalDiskStore(mkdtempSync(join(tmpdir(), 'sid-study-items-'))));
	});
	afterAll(async () => {
		useBlobStore(undefined);
		await d.close();
	});

	it('turns two finished runs into one item per prompt, once', async () => {
		const { subject, baseline } = await subjectWithImages(d.db, `pair-${kind}`);
		const ti = (await listGpuMethods(d.db)).find((m) => m.name === 'Textual Inversion')!;
		const study = await createStudy(d.db, { title: 'DB vs TI', slug: `db-ti-${kind}` });
		await setStudyMethods(d.db, study.id, ['DreamBooth', 'Textual Inversion']);
		expect((await studiesForMethods(d.db, ti.id, baseline.id)).map((s) => s.id)).toEqual([
			study.id
		]);

		const [runA, runB] = await createComparisonRuns(
			d.db,
			smallRequest({ subjectIds: [subject.id], methodIds: [baseline.id, ti.id] }),
			null
		);
		await expect(studyItemsFromRunPair(d.db, study.id, runA, runB)).rejects.toThrow(Refusal);

		// A worker finishes both runs through the same functions the worker API uses.
		const { row: token } = await createWorkerToken(d.db, 'w', null);
		for (let n = 0; n < 2; n++) {
			const job = (await claimOnce(d.db, token, {
				workerName: 'w/0',
				kinds: ['dreambooth_run'],
				leaseSeconds: 60
			}))!;
			const plan = runPayload.parse(job.payload);
			const samples = [];
			for (const [i, p] of plan.sampling.prompts.entries()) {
				for (const seed of plan.sampling.seeds) {
					const png = await makeImage('png', 16, { r: n * 100, g: i * 50, b: seed * 60 });
					await storeArtifact(
						d.db,
						{ jobId: job.id, leaseId: job.leaseId! },
						sha256Hex(png),
						png,
						'image/png'
					);
					samples.push({
						prompt: p.prompt,
						seed,
						sha256: sha256Hex(png),
						metrics: null,
						attention_map_sha256: null
					});
				}
			}
			await completeRun(d.db, token, job.id, {
				lease_id: job.leaseId!,
				samples,
				run_metrics: null,
				training: { steps: 2, final_loss: null, seconds: 1, losses: [] },
				sampling: { seconds: 1, images: samples.length }
			});
		}

		expect(await studyItemsFromRunPair(d.db, study.id, runB, runA)).toBe(2);
		expect(await studyItemsFromRunPair(d.db, study.id, runA, runB)).toBe(0);
		const [{ n }] = await d.db
			.select({ n: count() })
			.from(items)
			.where(eq(items.studyId, study.id));
		expect(n).toBe(2);
	});
});
