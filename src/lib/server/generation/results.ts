import { and, eq } from 'drizzle-orm';
import { notUploadedFor } from '../workers/artifacts';
import { refuse } from '../http/refusal';
import type { Db } from '../db';
import { runs, samples, type WorkerToken } from '../db/schema';
import { complete } from '../jobs/queue';
import { runsFollowJobs } from './run-state';
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
 * its metrics, the job done and (through runsFollowJobs) its run done. A replay of the same call by the same
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
		// Only images uploaded for this very job count: naming any other blob that exists
		// (a reference photo, another run's sample) would publish it as this run's output.
		const missing = await notUploadedFor(tx, jobId, shas);
		if (missing.length) {
			rejectResult(
				`Upload every image for this job before completing; ${missing.length} were not uploaded under it (e.g. ${missing[0]}).`
			);
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
			.set({ metrics: numbers(body.run_metrics) })
			.where(and(eq(runs.id, plan.run_id), eq(runs.jobId, jobId)));
		// The training summary (with the worker's notes) is kept as the job's result.
		const done = await complete(tx, jobId, body.lease_id, {
			training: body.training,
			sampling: body.sampling
		});
		if (!done) rejectResult('The job could not be completed.');
		await runsFollowJobs(tx, [jobId]);
		const answer = { ok: true as const };
		await recordOutcome(tx, body.lease_id, 'complete', answer);
		return answer;
	});
}
