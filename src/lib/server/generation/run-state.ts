import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { jobs, runs } from '../db/schema';

/** How a GPU job's queue state reads on its run ('dead', out of attempts, is a failure). */
const RUN_STATE_OF_JOB = sql`(case ${jobs.state} when 'queued' then 'queued' when 'running' then 'running' when 'done' then 'done' when 'cancelled' then 'cancelled' else 'failed' end)::run_state`;

/**
 * The one writer of a GPU run's state. Every verb that moves a GPU job (claim, bury, fail,
 * complete, cancel, retry) calls it with the jobs it moved, inside the same transaction, so
 * a run never shows a state its job has left, and nothing has to sweep the table on reads.
 */
export async function runsFollowJobs(db: Db | Tx, jobIds: readonly string[]): Promise<void> {
	if (jobIds.length === 0) return;
	await db
		.update(runs)
		.set({
			state: RUN_STATE_OF_JOB,
			finishedAt: sql`case when ${jobs.state} in ('done', 'failed', 'dead', 'cancelled') then coalesce(${jobs.finishedAt}, now()) else null end`
		})
		.from(jobs)
		.where(and(eq(runs.jobId, jobs.id), eq(runs.source, 'gpu'), inArray(jobs.id, [...jobIds])));
}
