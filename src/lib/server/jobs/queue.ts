import { and, asc, eq, inArray, lt, or, lte, sql, gte } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { jobs, type Job, type JobState } from '../db/schema';

export interface EnqueueOptions {
	kind: string;
	payload: unknown;
	queue?: 'app' | 'gpu';
	maxAttempts?: number;
	runAt?: Date;
	/** Enqueueing the same key twice returns the first job instead of a second one. */
	dedupeKey?: string;
}

export async function enqueue(db: Db | Tx, opts: EnqueueOptions): Promise<Job> {
	const [created] = await db
		.insert(jobs)
		.values({
			kind: opts.kind,
			payload: opts.payload,
			queue: opts.queue ?? 'app',
			maxAttempts: opts.maxAttempts ?? 5,
			runAt: opts.runAt ?? new Date(),
			dedupeKey: opts.dedupeKey
		})
		.onConflictDoNothing({ target: jobs.dedupeKey })
		.returning();
	if (created) return created;
	const [existing] = await db.select().from(jobs).where(eq(jobs.dedupeKey, opts.dedupeKey!));
	return existing;
}

/**
 * Leases the oldest runnable job: queued and due, or running with an expired lease (its
 * holder died) and attempts left. SKIP LOCKED lets many claimers run at once without
 * waiting on each other. Claimers call `buryExhausted` too, so a job whose lease expired on
 * its last attempt ends as dead instead of looking like it still runs.
 */
export async function claim(
	db: Db | Tx,
	opts: { queue: 'app' | 'gpu'; kinds?: string[]; owner: string; leaseSeconds: number }
): Promise<Job | null> {
	const leaseId = crypto.randomUUID();
	const runnable = or(
		and(eq(jobs.state, 'queued'), lte(jobs.runAt, sql`now()`)),
		and(
			eq(jobs.state, 'running'),
			lt(jobs.leaseExpiresAt, sql`now()`),
			lt(jobs.attempts, jobs.maxAttempts)
		)
	);
	const candidate = db
		.select({ id: jobs.id })
		.from(jobs)
		.where(
			and(
				eq(jobs.queue, opts.queue),
				runnable,
				opts.kinds ? inArray(jobs.kind, opts.kinds) : undefined
			)
		)
		.orderBy(asc(jobs.runAt), asc(jobs.createdAt))
		.limit(1)
		.for('update', { skipLocked: true });
	const [job] = await db
		.update(jobs)
		.set({
			state: 'running',
			attempts: sql`${jobs.attempts} + 1`,
			leaseId,
			leaseExpiresAt: sql`now() + ${opts.leaseSeconds} * interval '1 second'`,
			lockedBy: opts.owner,
			updatedAt: sql`now()`
		})
		.where(inArray(jobs.id, candidate))
		.returning();
	return job ?? null;
}

/**
 * Jobs of `queue` whose lease expired on their last allowed attempt are dead, not retried
 * forever. Returns their ids, so the caller can move what follows them in the same
 * transaction (a GPU job's run).
 */
export async function buryExhausted(db: Db | Tx, queue: 'app' | 'gpu'): Promise<string[]> {
	const buried = await db
		.update(jobs)
		.set({
			state: 'dead',
			lastError: sql`coalesce(${jobs.lastError}, 'lease expired on the last attempt')`,
			finishedAt: sql`now()`,
			leaseId: null
		})
		.where(
			and(
				eq(jobs.queue, queue),
				eq(jobs.state, 'running'),
				lt(jobs.leaseExpiresAt, sql`now()`),
				gte(jobs.attempts, jobs.maxAttempts)
			)
		)
		.returning({ id: jobs.id });
	return buried.map((b) => b.id);
}

function held(id: string, leaseId: string) {
	return and(eq(jobs.id, id), eq(jobs.leaseId, leaseId), eq(jobs.state, 'running'));
}

export interface Progress {
	stage?: string;
	progress?: number;
	message?: string;
}

/** Extends the lease; null when the lease was lost (expired and taken, or finished). */
export async function heartbeat(
	db: Db | Tx,
	id: string,
	leaseId: string,
	leaseSeconds: number,
	progress?: Progress
): Promise<{ cancel: boolean; leaseExpiresAt: Date } | null> {
	const [row] = await db
		.update(jobs)
		.set({
			leaseExpiresAt: sql`now() + ${leaseSeconds} * interval '1 second'`,
			updatedAt: sql`now()`,
			...(progress ? { progress } : {})
		})
		.where(held(id, leaseId))
		.returning({ cancel: jobs.cancelRequested, leaseExpiresAt: jobs.leaseExpiresAt });
	return row ? { cancel: row.cancel, leaseExpiresAt: row.leaseExpiresAt! } : null;
}

export async function complete(
	db: Db | Tx,
	id: string,
	leaseId: string,
	result?: unknown
): Promise<boolean> {
	const rows = await db
		.update(jobs)
		.set({
			state: 'done',
			result: result ?? null,
			leaseId: null,
			leaseExpiresAt: null,
			finishedAt: sql`now()`,
			updatedAt: sql`now()`,
			progress: sql`jsonb_build_object('stage', 'done', 'progress', 1)`
		})
		.where(held(id, leaseId))
		.returning({ id: jobs.id });
	return rows.length === 1;
}

/** Exponential backoff with jitter: 2s, 4s, 8s ... capped at ten minutes. */
export function backoffSeconds(attempts: number): number {
	const base = Math.min(600, 2 ** Math.max(1, attempts));
	return base * (0.75 + Math.random() * 0.5);
}

export async function fail(
	db: Db | Tx,
	id: string,
	leaseId: string,
	error: string,
	opts: { retryable?: boolean; cancelled?: boolean; retryAfterSeconds?: number } = {}
): Promise<JobState | null> {
	const [job] = await db.select().from(jobs).where(held(id, leaseId));
	if (!job) return null;
	let state: JobState;
	if (opts.cancelled || job.cancelRequested) state = 'cancelled';
	else if (opts.retryable !== false && job.attempts < job.maxAttempts) state = 'queued';
	else state = opts.retryable === false ? 'failed' : 'dead';
	const delay = opts.retryAfterSeconds ?? backoffSeconds(job.attempts);
	await db
		.update(jobs)
		.set({
			state,
			lastError: error.slice(0, 4000),
			leaseId: null,
			leaseExpiresAt: null,
			runAt: state === 'queued' ? sql`now() + ${delay} * interval '1 second'` : job.runAt,
			finishedAt: state === 'queued' ? null : sql`now()`,
			updatedAt: sql`now()`
		})
		.where(held(id, leaseId));
	return state;
}

/** Queued jobs are cancelled at once; running ones are asked to stop at their next step. */
export async function cancel(db: Db | Tx, id: string): Promise<void> {
	await db.transaction(async (tx) => {
		await tx
			.update(jobs)
			.set({ state: 'cancelled', finishedAt: sql`now()`, updatedAt: sql`now()` })
			.where(and(eq(jobs.id, id), eq(jobs.state, 'queued')));
		await tx
			.update(jobs)
			.set({ cancelRequested: true, updatedAt: sql`now()` })
			.where(and(eq(jobs.id, id), eq(jobs.state, 'running')));
	});
}

export async function retry(db: Db | Tx, id: string): Promise<void> {
	await db
		.update(jobs)
		.set({
			state: 'queued',
			attempts: 0,
			cancelRequested: false,
			runAt: sql`now()`,
			finishedAt: null,
			lastError: null,
			updatedAt: sql`now()`
		})
		.where(and(eq(jobs.id, id), inArray(jobs.state, ['failed', 'dead', 'cancelled'])));
}

export async function getJob(db: Db, id: string): Promise<Job | null> {
	const [job] = await db.select().from(jobs).where(eq(jobs.id, id));
	return job ?? null;
}
