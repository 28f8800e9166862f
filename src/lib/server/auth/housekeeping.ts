import type { Db } from '../db';
import { databaseUnavailable } from '../db/unavailable';
import { deleteExpiredSessions } from './session';
import { forgetStaleCounters } from './throttle';

const EVERY_MS = 60 * 60 * 1000;

/** Deletes expired sessions and stale throttle counters; the counts, for logs and tests. */
export async function sweepAuthTables(db: Db): Promise<{ sessions: number; counters: number }> {
	return { sessions: await deleteExpiredSessions(db), counters: await forgetStaleCounters(db) };
}

/**
 * Sweeps at start and then hourly, in every app process (a sweep is one idempotent delete
 * per table, so several processes sweeping is harmless). Returns the stop function.
 */
export function startAuthHousekeeping(db: Db): () => void {
	const sweep = () =>
		sweepAuthTables(db).catch((e: unknown) => {
			const down = databaseUnavailable(e);
			if (down) console.warn(`auth housekeeping skipped: database unavailable (${down})`);
			else console.error('auth housekeeping failed', e);
		});
	void sweep();
	const timer = setInterval(sweep, EVERY_MS);
	// Never the reason the process stays alive.
	timer.unref();
	return () => clearInterval(timer);
}
