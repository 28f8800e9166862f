import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import { makeImage } from '../testing/images';
import { callWorker, queueBaselineRun } from '../testing/worker-api';
import { useDatabase, type Database } from '../db';
import { jobs, runs, samples } from '../db/schema';
import { resetConfig } from '../config';
import { LocalDiskStore, useBlobStore } from '../blobs/store';
import { cancelRun, retryRun } from '../generation/runs';
import { comparison } from '../generation/gallery';
import { createWorkerToken, revokeWorkerToken } from './tokens';
import { POST as claimPost } from '../../../routes/api/worker/claim/+server';
import { POST as heartbeatPost } from '../../../routes/api/worker/jobs/[id]/heartbeat/+server';
import { POST as completePost } from '../../../routes/api/worker/jobs/[id]/complete/+server';
import { POST as failPost } from '../../../routes/api/worker/jobs/[id]/fail/+server';
import { GET as blobGet, PUT as blobPut } from '../../../routes/api/worker/blobs/[sha256]/+server';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const claimBody = { worker_name: 'test-node/0', kinds: ['dreambooth_run'], wait_seconds: 0 };

interface Claimed {
	id: string;
	lease_id: string;
	attempt: number;
	lease_seconds: number;
	payload: {
		run_id: string;
		reference_images: { sha256: string }[];
		sampling: { prompts: { prompt: string }[]; seeds: number[] };
	};
}

describe.each(DB_KINDS)('worker API on %s', (kind) => {
	let d: Database;
	let tokenA: string;
	let tokenB: string;

	beforeAll(async () => {
		d = await freshDatabase(kind);
		useDatabase(d);
		useBlobStore(new LocalDiskStore(mkdtempSync(join(tmpdir(), 'sid-worker-blobs-'))));
		tokenA = (await createWorkerToken(d.db, 'cluster-a', null)).token;
		tokenB = (await createWorkerToken(d.db, 'cluster-b', null)).token;
	});
	afterAll(async () => {
		useDatabase(undefined);
		useBlobStore(undefined);
		delete process.env.WORKER_LEASE_SECONDS;
		resetConfig();
		await d.close();
	});

	async function claimWith(token: string, body: object = claimBody) {
		const r = await callWorker(claimPost, { token, json: body });
		return { status: r.status, job: (r.body?.job ?? null) as Claimed | null };
	}

	/** Takes every job off the queue, so each test starts from an empty one. */
	async function drain() {
		await d.db.update(jobs).set({ state: 'cancelled' }).where(eq(jobs.state, 'queued'));
		await d.db.update(jobs).set({ state: 'cancelled' }).where(eq(jobs.state, 'running'));
	}

	async function uploadAll(job: Claimed, token = tokenA) {
		const results = [];
		for (const [i, p] of job.payload.sampling.prompts.entries()) {
			for (const seed of job.payload.sampling.seeds) {
				const png = await makeImage('png', 16, { r: i * 40, g: seed * 60, b: 7 });
				const put = await callWorker(blobPut, {
					token,
					method: 'PUT',
					params: { sha256: sha(png) },
					raw: png,
					headers: { 'content-type': 'image/png', 'x-job-id': job.id, 'x-lease-id': job.lease_id }
				});
				expect([200, 201]).toContain(put.status);
				results.push({
					prompt: p.prompt,
					seed,
					sha256: sha(png),
					metrics: {
						subject_alignment: null,
						non_subject_disentanglement: null,
						text_alignment: 0.3
					},
					attention_map_sha256: null
				});
			}
		}
		return {
			lease_id: job.lease_id,
			samples: results,
			run_metrics: {
				subject_alignment: null,
				non_subject_disentanglement: null,
				text_alignment: 0.3
			},
			training: { steps: 2, final_loss: 0.1, seconds: 1.5, losses: [0.2, 0.1] },
			sampling: { seconds: 0.5, images: results.length }
		};
	}

	it('refuses calls without a token, with an unknown one and with a revoked one (401)', async () => {
		expect((await callWorker(claimPost, { json: claimBody })).status).toBe(401);
		expect((await callWorker(claimPost, { token: 'sidw_nope', json: claimBody })).status).toBe(401);
		const { token, row } = await createWorkerToken(d.db, 'short-lived', null);
		expect((await claimWith(token)).status).toBe(204);
		await revokeWorkerToken(d.db, row.id);
		const revoked = await callWorker(claimPost, { token, json: claimBody });
		expect(revoked.status).toBe(401);
		expect(revoked.body?.error).toMatch(/token/);
		const hb = await callWorker(heartbeatPost, {
			token,
			params: { id: crypto.randomUUID() },
			json: { lease_id: crypto.randomUUID(), stage: 'training', progress: 0, message: '' }
		});
		expect(hb.status).toBe(401);
	});

	it('leases each job to exactly one of many parallel claimers', async () => {
		await drain();
		const runIds = await Promise.all(
			[1, 2, 3].map((i) => queueBaselineRun(d.db, `par-${kind}-${i}`))
		);
		const claims = await Promise.all(
			Array.from({ length: 8 }, (_, i) => claimWith(i % 2 ? tokenA : tokenB))
		);
		const got = claims.filter((c) => c.status === 200).map((c) => c.job!);
		expect(got).toHaveLength(3);
		expect(new Set(got.map((j) => j.id)).size).toBe(3);
		expect(new Set(got.map((j) => j.payload.run_id))).toEqual(new Set(runIds));
		expect(claims.filter((c) => c.status === 204)).toHaveLength(5);
		const states = await d.db.select({ state: runs.state }).from(runs);
		expect(states.filter((s) => s.state === 'running')).toHaveLength(3);
	});

	it('long-polls until a job arrives, and ends early when the worker hangs up', async () => {
		await drain();
		const started = Date.now();
		const waiting = claimWith(tokenA, { ...claimBody, wait_seconds: 10 });
		await new Promise((r) => setTimeout(r, 800));
		const runId = await queueBaselineRun(d.db, `poll-${kind}`);
		const got = await waiting;
		expect(got.status).toBe(200);
		expect(got.job!.payload.run_id).toBe(runId);
		expect(Date.now() - started).toBeLessThan(5000);

		const ctrl = new AbortController();
		const t0 = Date.now();
		setTimeout(() => ctrl.abort(), 300);
		const aborted = await callWorker(claimPost, {
			token: tokenA,
			json: { ...claimBody, wait_seconds: 30 },
			signal: ctrl.signal
		}).catch(() => ({ status: 0 }));
		expect(Date.now() - t0).toBeLessThan(3000);
		expect([0, 204]).toContain(aborted.status);
	});

	it('re-leases a job whose lease expired and refuses the old holder with 409', async () => {
		await drain();
		process.env.WORKER_LEASE_SECONDS = '2';
		resetConfig();
		try {
			await queueBaselineRun(d.db, `expire-${kind}`);
			const first = (await claimWith(tokenA)).job!;
			expect(first.lease_seconds).toBe(2);
			expect((await claimWith(tokenB)).status).toBe(204);
			await new Promise((r) => setTimeout(r, 2300));
			const second = (await claimWith(tokenB)).job!;
			expect(second.id).toBe(first.id);
			expect(second.attempt).toBe(2);
			const stale = await callWorker(heartbeatPost, {
				token: tokenA,
				params: { id: first.id },
				json: { lease_id: first.lease_id, stage: 'training', progress: 0.5, message: 'step 1' }
			});
			expect(stale.status).toBe(409);
			expect(stale.body).toEqual({ error: 'lease lost' });
			const fresh = await callWorker(heartbeatPost, {
				token: tokenB,
				params: { id: second.id },
				json: { lease_id: second.lease_id, stage: 'training', progress: 0.5, message: 'step 1' }
			});
			expect(fresh.status).toBe(200);
			expect(fresh.body?.cancel).toBe(false);
			expect(Date.parse(fresh.body!.lease_expires_at as string)).toBeGreaterThan(Date.now());
			const [job] = await d.db.select().from(jobs).where(eq(jobs.id, second.id));
			expect(job.progress).toEqual({ stage: 'training', progress: 0.5, message: 'step 1' });
		} finally {
			delete process.env.WORKER_LEASE_SECONDS;
			resetConfig();
		}
	});

	it('answers 409 to a worker touching a job it does not hold', async () => {
		await drain();
		await queueBaselineRun(d.db, `foreign-${kind}`);
		const job = (await claimWith(tokenA)).job!;
		const hb = { stage: 'training', progress: 0.1, message: '' };
		// Another token, even with the right lease id.
		for (const [token, lease] of [
			[tokenB, job.lease_id],
			[tokenA, crypto.randomUUID()]
		]) {
			const r = await callWorker(heartbeatPost, {
				token,
				params: { id: job.id },
				json: { lease_id: lease, ...hb }
			});
			expect(r.status).toBe(409);
		}
		const body = await uploadAll(job);
		expect(
			(await callWorker(completePost, { token: tokenB, params: { id: job.id }, json: body })).status
		).toBe(409);
		expect(
			(
				await callWorker(failPost, {
					token: tokenB,
					params: { id: job.id },
					json: { lease_id: job.lease_id, error: 'x', retryable: true, cancelled: false }
				})
			).status
		).toBe(409);
		const png = await makeImage('png', 16, { r: 1, g: 2, b: 3 });
		const put = await callWorker(blobPut, {
			token: tokenB,
			method: 'PUT',
			params: { sha256: sha(png) },
			raw: png,
			headers: { 'content-type': 'image/png', 'x-job-id': job.id, 'x-lease-id': job.lease_id }
		});
		expect(put.status).toBe(409);
		// Reference images are only readable by the holder.
		const ref = job.payload.reference_images[0].sha256;
		expect(
			(await callWorker(blobGet, { token: tokenB, method: 'GET', params: { sha256: ref } })).status
		).toBe(404);
		const mine = await callWorker(blobGet, {
			token: tokenA,
			method: 'GET',
			params: { sha256: ref }
		});
		expect(mine.status).toBe(200);
		expect(sha(mine.bytes)).toBe(ref);
		expect(
			(
				await callWorker(blobGet, {
					token: tokenA,
					method: 'GET',
					params: { sha256: 'a'.repeat(64) }
				})
			).status
		).toBe(404);
	});

	it('stores one set of samples; a replayed complete stores nothing twice', async () => {
		await drain();
		const runId = await queueBaselineRun(d.db, `replay-${kind}`);
		const job = (await claimWith(tokenA)).job!;
		const body = await uploadAll(job);
		const first = await callWorker(completePost, {
			token: tokenA,
			params: { id: job.id },
			json: body
		});
		expect(first.status).toBe(200);
		expect(first.body).toEqual({ ok: true });
		const again = await callWorker(completePost, {
			token: tokenA,
			params: { id: job.id },
			json: body
		});
		expect(again.status).toBe(200);
		expect(again.body).toEqual({ ok: true });
		const [{ n }] = await d.db.select({ n: count() }).from(samples).where(eq(samples.runId, runId));
		expect(n).toBe(4);
		const [run] = await d.db.select().from(runs).where(eq(runs.id, runId));
		expect(run.state).toBe('done');
		expect(run.metrics).toEqual({ text_alignment: 0.3 });
		const [j] = await d.db.select().from(jobs).where(eq(jobs.id, job.id));
		expect(j.state).toBe('done');
		expect((j.result as { training: { steps: number } }).training.steps).toBe(2);
		// The lease is over: heartbeats are refused, and the blobs of the job are no longer served.
		const hb = await callWorker(heartbeatPost, {
			token: tokenA,
			params: { id: job.id },
			json: { lease_id: job.lease_id, stage: 'uploading', progress: 1, message: '' }
		});
		expect(hb.status).toBe(409);
	});

	it("keeps the worker's notes with the run; a worker that sends none has none", async () => {
		await drain();
		const noted = await queueBaselineRun(d.db, `notes-${kind}`);
		const job = (await claimWith(tokenA)).job!;
		const body = await uploadAll(job);
		const notes = ['use_8bit_adam requested but bitsandbytes is not installed: using torch AdamW'];
		const done = await callWorker(completePost, {
			token: tokenA,
			params: { id: job.id },
			json: { ...body, training: { ...body.training, notes } }
		});
		expect(done.status).toBe(200);
		expect((await comparison(d.db, noted))!.run.training).toEqual({
			steps: 2,
			finalLoss: 0.1,
			trainingSeconds: 1.5,
			samplingSeconds: 0.5,
			notes
		});

		const plain = await queueBaselineRun(d.db, `no-notes-${kind}`);
		const next = (await claimWith(tokenA)).job!;
		const quiet = await callWorker(completePost, {
			token: tokenA,
			params: { id: next.id },
			json: await uploadAll(next)
		});
		expect(quiet.status).toBe(200);
		expect((await comparison(d.db, plain))!.run.training?.notes).toEqual([]);
	});

	it('fails the run of a job whose last lease expired when the next worker claims', async () => {
		await drain();
		const runId = await queueBaselineRun(d.db, `buried-${kind}`);
		const job = (await claimWith(tokenA)).job!;
		let [run] = await d.db.select().from(runs).where(eq(runs.id, runId));
		expect(run.state).toBe('running');
		await d.db
			.update(jobs)
			.set({ maxAttempts: 1, leaseExpiresAt: new Date(Date.now() - 1000) })
			.where(eq(jobs.id, job.id));
		expect((await claimWith(tokenB)).status).toBe(204);
		[run] = await d.db.select().from(runs).where(eq(runs.id, runId));
		expect(run).toMatchObject({ state: 'failed', finishedAt: expect.any(Date) });
		const [j] = await d.db.select().from(jobs).where(eq(jobs.id, job.id));
		expect(j.state).toBe('dead');
	});

	it('refuses a complete that does not match its job (400) and keeps the lease', async () => {
		await drain();
		await queueBaselineRun(d.db, `mismatch-${kind}`);
		const job = (await claimWith(tokenA)).job!;
		const body = await uploadAll(job);
		const call = (json: unknown) =>
			callWorker(completePost, { token: tokenA, params: { id: job.id }, json });
		const missingBlob = structuredClone(body);
		missingBlob.samples[0].sha256 = 'b'.repeat(64);
		expect((await call(missingBlob)).body?.error).toMatch(/Upload every image/);
		const extra = structuredClone(body);
		extra.samples[0].seed = 99;
		expect((await call(extra)).status).toBe(400);
		const partial = { ...body, samples: body.samples.slice(1) };
		expect((await call(partial)).body?.error).toMatch(/asked for 4 samples/);
		expect((await call(body)).status).toBe(200);
	});

	it('a complete may only name images uploaded for its own job', async () => {
		await drain();
		await queueBaselineRun(d.db, `own-uploads-a-${kind}`);
		await queueBaselineRun(d.db, `own-uploads-b-${kind}`);
		const job = (await claimWith(tokenA)).job!;
		const other = (await claimWith(tokenB)).job!;
		const body = await uploadAll(job);
		const call = (json: unknown) =>
			callWorker(completePost, { token: tokenA, params: { id: job.id }, json });
		const put = (token: string, holder: Claimed, png: Buffer) =>
			callWorker(blobPut, {
				token,
				method: 'PUT',
				params: { sha256: sha(png) },
				raw: png,
				headers: {
					'content-type': 'image/png',
					'x-job-id': holder.id,
					'x-lease-id': holder.lease_id
				}
			});

		// A blob that exists (a reference photo of the subject) is not this job's output.
		const reference = job.payload.reference_images[0].sha256;
		const asSample = structuredClone(body);
		asSample.samples[0].sha256 = reference;
		const refused = await call(asSample);
		expect(refused.status).toBe(400);
		expect(refused.body?.error).toMatch(/not uploaded under it/);
		const asMap = structuredClone(body);
		(asMap.samples[1] as { attention_map_sha256: string | null }).attention_map_sha256 = reference;
		expect((await call(asMap)).status).toBe(400);

		// Nor is an image another job uploaded, until this job uploads the same bytes itself.
		const theirs = await makeImage('png', 16, { r: 250, g: 3, b: 99 });
		expect((await put(tokenB, other, theirs)).status).toBe(201);
		const borrowed = structuredClone(body);
		(borrowed.samples[0] as { attention_map_sha256: string | null }).attention_map_sha256 =
			sha(theirs);
		expect((await call(borrowed)).body?.error).toMatch(/not uploaded under it/);
		expect((await put(tokenA, job, theirs)).status).toBe(200); // same bytes: idempotent
		expect((await call(borrowed)).status).toBe(200);
	});

	it('refuses forged and invalid messages with 400', async () => {
		await drain();
		await queueBaselineRun(d.db, `forged-${kind}`);
		const job = (await claimWith(tokenA)).job!;
		const hb = { lease_id: job.lease_id, stage: 'training', progress: 0.2, message: '' };
		const bad: [unknown, RegExp][] = [
			[{ ...hb, extra: 1 }, /Unrecognized key|extra/i],
			[{ ...hb, progress: 2 }, /progress/],
			[{ ...hb, stage: 'mining' }, /stage/],
			[{ ...hb, lease_id: 'not-a-uuid' }, /lease_id/],
			[{ stage: 'training', progress: 0, message: '' }, /lease_id/]
		];
		for (const [json, msg] of bad) {
			const r = await callWorker(heartbeatPost, { token: tokenA, params: { id: job.id }, json });
			expect(r.status).toBe(400);
			expect(r.body?.error).toMatch(msg);
		}
		const notJson = await callWorker(heartbeatPost, {
			token: tokenA,
			params: { id: job.id },
			raw: '{nope',
			headers: { 'content-type': 'application/json' }
		});
		expect(notJson.status).toBe(400);
		const badId = await callWorker(heartbeatPost, {
			token: tokenA,
			params: { id: '1 or 1=1' },
			json: hb
		});
		expect(badId.status).toBe(400);
		for (const json of [
			{ ...claimBody, wait_seconds: 31 },
			{ ...claimBody, kinds: ['bitcoin'] },
			{ ...claimBody, worker_name: '' }
		]) {
			expect((await callWorker(claimPost, { token: tokenA, json })).status).toBe(400);
		}
		const nan = await callWorker(completePost, {
			token: tokenA,
			params: { id: job.id },
			raw: JSON.stringify({
				lease_id: job.lease_id,
				samples: [],
				run_metrics: null,
				training: { steps: 1, final_loss: 'NaN', seconds: 1, losses: [] },
				sampling: { seconds: 1, images: 0 }
			}),
			headers: { 'content-type': 'application/json' }
		});
		expect(nan.status).toBe(400);
		// The job is still held after all that.
		expect(
			(await callWorker(heartbeatPost, { token: tokenA, params: { id: job.id }, json: hb })).status
		).toBe(200);
	});

	it('checks uploads: hash, image bytes, type and lease headers', async () => {
		await drain();
		await queueBaselineRun(d.db, `upload-${kind}`);
		const job = (await claimWith(tokenA)).job!;
		const png = await makeImage('png', 16, { r: 9, g: 9, b: 9 });
		const lease = { 'x-job-id': job.id, 'x-lease-id': job.lease_id };
		const put = (shaValue: string, raw: Uint8Array, headers: Record<string, string>) =>
			callWorker(blobPut, {
				token: tokenA,
				method: 'PUT',
				params: { sha256: shaValue },
				raw,
				headers
			});
		const wrong = await put('c'.repeat(64), png, { 'content-type': 'image/png', ...lease });
		expect(wrong.status).toBe(400);
		expect(wrong.body?.error).toMatch(/hash to/);
		const text = Buffer.from('not an image at all');
		expect((await put(sha(text), text, { 'content-type': 'image/png', ...lease })).status).toBe(
			400
		);
		const truncated = png.subarray(0, png.length - 20);
		expect(
			(await put(sha(truncated), truncated, { 'content-type': 'image/png', ...lease })).status
		).toBe(400);
		const jpeg = await makeImage('jpeg', 16);
		expect((await put(sha(jpeg), jpeg, { 'content-type': 'image/png', ...lease })).status).toBe(
			400
		);
		expect((await put(sha(png), png, { 'content-type': 'image/gif', ...lease })).status).toBe(415);
		expect((await put(sha(png), png, { 'content-type': 'image/png' })).status).toBe(400);
		const first = await put(sha(png), png, { 'content-type': 'image/png', ...lease });
		expect(first.status).toBe(201);
		const second = await put(sha(png), png, { 'content-type': 'image/png', ...lease });
		expect(second.status).toBe(200);
	});

	it('cancels at the next heartbeat, reports cancelled, and can retry', async () => {
		await drain();
		const runId = await queueBaselineRun(d.db, `cancel-${kind}`);
		const job = (await claimWith(tokenA)).job!;
		await cancelRun(d.db, runId);
		const hb = await callWorker(heartbeatPost, {
			token: tokenA,
			params: { id: job.id },
			json: { lease_id: job.lease_id, stage: 'training', progress: 0.3, message: '' }
		});
		expect(hb.body?.cancel).toBe(true);
		const failBody = {
			lease_id: job.lease_id,
			error: 'cancelled by admin',
			retryable: false,
			cancelled: true
		};
		const f = await callWorker(failPost, { token: tokenA, params: { id: job.id }, json: failBody });
		expect(f.body).toEqual({ ok: true, state: 'cancelled' });
		const replay = await callWorker(failPost, {
			token: tokenA,
			params: { id: job.id },
			json: failBody
		});
		expect(replay.body).toEqual({ ok: true, state: 'cancelled' });
		let [run] = await d.db.select().from(runs).where(eq(runs.id, runId));
		expect(run.state).toBe('cancelled');
		await retryRun(d.db, runId);
		[run] = await d.db.select().from(runs).where(eq(runs.id, runId));
		expect(run.state).toBe('queued');
		const again = (await claimWith(tokenB)).job!;
		expect(again.id).toBe(job.id);
		const retryable = await callWorker(failPost, {
			token: tokenB,
			params: { id: job.id },
			json: {
				lease_id: again.lease_id,
				error: 'CUDA out of memory',
				retryable: true,
				cancelled: false
			}
		});
		expect(retryable.body).toEqual({ ok: true, state: 'queued' });
		[run] = await d.db.select().from(runs).where(eq(runs.id, runId));
		expect(run.state).toBe('queued');
	});
});
