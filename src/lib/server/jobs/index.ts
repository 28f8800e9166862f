import type { Db } from '../db';
import { config } from '../config';
import { JobRunner, type Handler } from './runner';

export * from './queue';
export {
	JobRunner,
	PermanentJobError,
	RetryLaterError,
	type Handler,
	type JobContext
} from './runner';

/** Areas register their handlers at import time; the server starts one runner for all of them. */
const handlers = new Map<string, Handler>();

export function registerJobHandler(kind: string, handler: Handler): void {
	handlers.set(kind, handler);
}

let runner: JobRunner | undefined;

export function startJobRunner(db: Db): JobRunner {
	if (runner) return runner;
	runner = new JobRunner(db, { leaseSeconds: config().JOB_LEASE_SECONDS });
	for (const [kind, handler] of handlers) runner.register(kind, handler);
	runner.start();
	return runner;
}

export async function stopJobRunner(): Promise<void> {
	await runner?.stop();
	runner = undefined;
}
