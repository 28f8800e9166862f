import { and, eq, inArray, sql } from 'drizzle-orm';
import { refuse } from '../http/refusal';
import type { Db } from '../db';
import { blobs, runs, samples, type WorkerToken } from '../db/schema';
import { complete } from '../jobs/queue';
import { heldJob, recordOutcome, replayedOutcome } from '../workers/leases';
import type { CompleteRequest, SampleMetrics } from '../workers/protocol';
import { runPayload } from './payload';

/** A `complete` message that does not fit its job (wrong samples, blobs never uploaded). */
function rejectResult(message: string): never {
	refuse(400, message);
}

function numbers(m: SampleMetrics | null): Record<string, number> | null {
	if (!m) return null;
	const out: Record<string, number> = {};
	for (const [k, v] of Object.entries(m)) if (typeof v === 'number') out[k] = v;
	return out;
}

/**
 * Stores a finished run in one transaction: its samples (unique per run, prompt and seed),
 * its metrics, run state done and the job done. A replay of the same call by the same
 * lease holder answers as before and stores nothing new.
 */
export async function completeRun(
	db: Db,
	token: WorkerToken,
	jobId: string,
	body: CompleteRequest
): Promise<{ ok: true }> {
	return db.transaction(async (tx) => {
		const replay = await replayedOutcome(tx, token, jobId, body.lease_id, 'complete');
		if (replay) return replay as { ok: true };
		const job = await heldJob(tx, token, jobId, body.lease_id);
		const parsed = runPayload.safeParse(job.payload);
		if (job.kind !== 'dreambooth_run' || !parsed.success) {
			rejectResult('This job is not a run the app can store results for.');
		}
		const plan = parsed.data;

		const planned = new Set<string>();
		for (const p of plan.sampling.prompts) {
			for (const s of plan.sampling.seeds) planned.add(JSON.stringify([p.prompt, s]));
		}
		const seen = new Set<string>();
		for (const s of body.samples) {
			const key = JSON.stringify([s.prompt, s.seed]);
			if (!planned.has(key)) {
				rejectResult(`The job did not ask for "${s.prompt}" with seed ${s.seed}.`);
			}
			if (seen.has(key)) rejectResult(`"${s.prompt}" seed ${s.seed} is sent twice.`);
			seen.add(key);
		}
		if (seen.size !== planned.size) {
			rejectResult(
				`The job asked for ${planned.size} samples (prompts x seeds); ${seen.size} were sent.`
			);
		}
		const shas = [
			...new Set(
				body.samples.flatMap((s) => [s.sha256, s.attention_map_sha256]).filter((x) => x !== null)
			)
		];
		if (shas.length) {
			const known = await tx
				.select({ sha256: blobs.sha256 })
				.from(blobs)
				.where(inArray(blobs.sha256, shas));
			const have = new Set(known.map((k) => k.sha256));
			const missing = shas.filter((s) => !have.has(s));
			if (missing.length) {
				rejectResult(
					`Upload every image before completing; ${missing.length} are missing (e.g. ${missing[0]}).`
				);
			}
		}

		if (body.samples.length) {
			await tx
				.insert(samples)
				.values(
					body.samples.map((s) => ({
						runId: plan.run_id,
						prompt: s.prompt,
						seed: s.seed,
						blobSha256: s.sha256,
						attentionMapSha256: s.attention_map_sha256,
						metrics: numbers(s.metrics)
					}))
				)
				.onConflictDoNothing({ target: [samples.runId, samples.prompt, samples.seed] });
		}
		await tx
			.update(runs)
			.set({ state: 'done', metrics: numbers(body.run_metrics), finishedAt: sql`now()` })
			.where(and(eq(runs.id, plan.run_id), eq(runs.jobId, jobId)));
		const done = await complete(tx as unknown as Db, jobId, body.lease_id, {
			training: body.training,
			sampling: body.sampling
		});
		if (!done) rejectResult('The job could not be completed.');
		const answer = { ok: true as const };
		await recordOutcome(tx, body.lease_id, 'complete', answer);
		return answer;
	});
}
