// A stand-alone app process for the drafting crash test: the real job runner with the real
// 'vlm.draft' handler, on the database and VLM named by the environment. It leaves once no
// draft job is open any more.
import { appendFileSync } from 'node:fs';
import { and, count, eq, inArray } from 'drizzle-orm';
import { closeDatabase, database } from '../db';
import { jobs } from '../db/schema';
import { JobRunner } from '../jobs/runner';
import { DRAFT_JOB, runDraftJob } from '../vlm/drafting';

const marker = process.env.MARKER_FILE!;
const d = await database();
const runner = new JobRunner(d.db, {
	leaseSeconds: Number(process.env.JOB_LEASE_SECONDS ?? 2),
	pollMs: 100
});
runner.register(DRAFT_JOB, { concurrency: 2, run: (ctx) => runDraftJob(d.db, ctx) });
runner.start();
appendFileSync(marker, `ready ${process.pid}\n`);

const timer = setInterval(async () => {
	const [{ n }] = await d.db
		.select({ n: count() })
		.from(jobs)
		.where(and(eq(jobs.kind, DRAFT_JOB), inArray(jobs.state, ['queued', 'running'])));
	if (n > 0) return;
	clearInterval(timer);
	await runner.stop();
	await closeDatabase();
	appendFileSync(marker, `closed ${process.pid}\n`);
	process.exit(0);
}, 200);
