import { and, eq, sql } from 'drizzle-orm';
import { refuse } from '../http/refusal';
import type { Db, Tx } from '../db';
import { jobs, workerLeases, type Job, type WorkerToken } from '../db/schema';
import { claim, fail, heartbeat } from '../jobs/queue';
import type { ClaimedJob, FailRequest, GpuJobKind } from './protocol';

/** The caller does not hold this job (lease expired and re-leased, finished, or someone else's). */
function leaseLost(): never {
	refuse(409, 'lease lost');
}

const POLL_MS = 500;

function pause(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		if (signal?.aborted) return resolve();
		const timer = setTimeout(done, ms);
		function done() {
			clearTimeout(timer);
			signal?.removeEventListener('abort', done);
			resolve();
		}
		signal?.addEventListener('abort', done, { once: true });
	});
}

/**
 * Leases one GPU job to this token and records the lease in the same transaction, so a
 * lease never exists that is not bound to the token that took it.
 */
export async function claimOnce(
	db: Db,
	token: WorkerToken,
	opts: { workerName: string; kinds: readonly GpuJobKind[]; leaseSeconds: number }
): Promise<Job | null> {
	return db.transaction(async (tx) => {
		const job = await claim(tx as unknown as Db, {
			queue: 'gpu',
			kinds: [...opts.kinds],
			owner: opts.workerName,
			leaseSeconds: opts.leaseSeconds
		});
		if (!job) return null;
		await tx.insert(workerLeases).values({
			leaseId: job.leaseId!,
			jobId: job.id,
			tokenId: token.id,
			workerName: opts.workerName
		});
		return job;
	});
}

/**
 * Long-poll: tries to claim every ~500 ms until a job is leased, `waitSeconds` pass or the
 * client goes away (then nothing is leased that nobody would work on).
 */
export async function claimForWorker(
	db: Db,
	token: WorkerToken,
	opts: {
		workerName: string;
		kinds: readonly GpuJobKind[];
		leaseSeconds: number;
		waitSeconds: number;
		signal?: AbortSignal;
	}
): Promise<Job | null> {
	const deadline = Date.now() + opts.waitSeconds * 1000;
	for (;;) {
		if (opts.signal?.aborted) return null;
		const job = await claimOnce(db, token, opts);
		if (job) return job;
		const left = deadline - Date.now();
		if (left <= 0) return null;
		await pause(Math.min(POLL_MS, left), opts.signal);
	}
}

export function envelope(job: Job, leaseSeconds: number): ClaimedJob {
	return {
		id: job.id,
		kind: job.kind,
		lease_id: job.leaseId!,
		lease_seconds: leaseSeconds,
		attempt: job.attempts,
		payload: job.payload
	};
}

/**
 * The job, if this token holds its current lease. Inside a transaction the row is locked,
 * so a concurrent claim of an expired lease cannot slip in between check and write.
 */
export async function heldJob(
	db: Db | Tx,
	token: WorkerToken,
	jobId: string,
	leaseId: string
): Promise<Job> {
	const [row] = await db
		.select({ job: jobs })
		.from(jobs)
		.innerJoin(workerLeases, eq(workerLeases.leaseId, jobs.leaseId))
		.where(
			and(
				eq(jobs.id, jobId),
				eq(jobs.leaseId, leaseId),
				eq(jobs.state, 'running'),
				eq(workerLeases.tokenId, token.id)
			)
		)
		.for('update', { of: jobs });
	if (!row) leaseLost();
	return row.job;
}

/** Jobs this token holds right now (for blob downloads). */
export async function jobsHeldBy(db: Db, token: WorkerToken): Promise<Job[]> {
	const rows = await db
		.select({ job: jobs })
		.from(jobs)
		.innerJoin(workerLeases, eq(workerLeases.leaseId, jobs.leaseId))
		.where(and(eq(jobs.state, 'running'), eq(workerLeases.tokenId, token.id)));
	return rows.map((r) => r.job);
}

/** The stored answer to a `complete`/`fail` this token already made with this lease, if any. */
export async function replayedOutcome(
	db: Db | Tx,
	token: WorkerToken,
	jobId: string,
	leaseId: string,
	outcome: 'complete' | 'fail'
): Promise<Record<string, unknown> | null> {
	const [row] = await db
		.select({ response: workerLeases.response })
		.from(workerLeases)
		.where(
			and(
				eq(workerLeases.leaseId, leaseId),
				eq(workerLeases.jobId, jobId),
				eq(workerLeases.tokenId, token.id),
				eq(workerLeases.outcome, outcome)
			)
		);
	return row?.response ?? null;
}

export async function recordOutcome(
	db: Db | Tx,
	leaseId: string,
	outcome: 'complete' | 'fail',
	response: Record<string, unknown>
): Promise<void> {
	await db
		.update(workerLeases)
		.set({ outcome, response, finishedAt: sql`now()` })
		.where(eq(workerLeases.leaseId, leaseId));
}

export async function heartbeatForWorker(
	db: Db,
	token: WorkerToken,
	jobId: string,
	body: { lease_id: string; stage: string; progress: number; message: string },
	leaseSeconds: number
): Promise<{ cancel: boolean; lease_expires_at: string }> {
	return db.transaction(async (tx) => {
		await heldJob(tx, token, jobId, body.lease_id);
		const beat = await heartbeat(tx as unknown as Db, jobId, body.lease_id, leaseSeconds, {
			stage: body.stage,
			progress: body.progress,
			message: body.message
		});
		if (!beat) leaseLost();
		return { cancel: beat.cancel, lease_expires_at: new Date(beat.leaseExpiresAt).toISOString() };
	});
}

export type FailState = 'queued' | 'failed' | 'cancelled';

/** `fail` per the protocol; a job out of attempts ('dead' in the queue) reads as 'failed'. */
export async function failForWorker(
	db: Db,
	token: WorkerToken,
	jobId: string,
	body: FailRequest
): Promise<{ ok: true; state: FailState }> {
	return db.transaction(async (tx) => {
		const replay = await replayedOutcome(tx, token, jobId, body.lease_id, 'fail');
		if (replay) return replay as { ok: true; state: FailState };
		await heldJob(tx, token, jobId, body.lease_id);
		const state = await fail(tx as unknown as Db, jobId, body.lease_id, body.error, {
			retryable: body.retryable,
			cancelled: body.cancelled
		});
		if (!state) leaseLost();
		const answer = {
			ok: true as const,
			state: (state === 'queued' || state === 'cancelled' ? state : 'failed') as FailState
		};
		await recordOutcome(tx, body.lease_id, 'fail', answer);
		return answer;
	});
}
