// A stand-alone app process for the crash test: it runs the real job runner on the database
// named by DATABASE_URL (or the PGlite in DATA_DIR) with one handler, 'test.slow'.
import { appendFileSync } from 'node:fs';
import { count, eq } from 'drizzle-orm';
import { closeDatabase, database } from '../db';
import { jobs } from '../db/schema';
import { JobRunner } from '../jobs/runner';

const marker = process.env.MARKER_FILE!;
const d = await database();
const runner = new JobRunner(d.db, {
	leaseSeconds: Number(process.env.JOB_LEASE_SECONDS ?? 2),
	pollMs: 100
});
runner.register('test.slow', {
	run: async ({ job, signal }) => {
		appendFileSync(marker, `started ${process.pid}\n`);
		const ms = process.env.SLOW === '1' ? 120_000 : 10;
		await new Promise((resolve, reject) => {
			const t = setTimeout(resolve, ms);
			signal.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)));
		});
		appendFileSync(marker, `finished ${process.pid}\n`);
		return { by: process.pid, payload: job.payload };
	}
});
runner.start();
appendFileSync(marker, `ready ${process.pid}\n`);

// The restarted process leaves once the job is done, closing the database cleanly.
if (process.env.SLOW !== '1') {
	const timer = setInterval(async () => {
		const [{ n }] = await d.db.select({ n: count() }).from(jobs).where(eq(jobs.state, 'done'));
		if (n < 1) return;
		clearInterval(timer);
		await runner.stop();
		await closeDatabase();
		appendFileSync(marker, `closed ${process.pid}\n`);
		process.exit(0);
	}, 100);
}
