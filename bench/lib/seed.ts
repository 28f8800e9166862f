// Puts the demo study (24 subjects, stand-in images) into a benchmark's database, open and
// without a completion quota, then closes the connection so the app can take over.
import { eq, sql } from 'drizzle-orm';
import { openDatabase, queryRows } from '../../src/lib/server/db';
import { studies } from '../../src/lib/server/db/schema';
import { seedDemoSubjects } from '../../src/lib/server/demo/seed';
import { seedDemoStudy } from '../../src/lib/server/demo/study';
import { resetConfig } from '../../src/lib/server/config';
import { useBlobStore } from '../../src/lib/server/blobs/store';
import type { Target } from './servers';

export async function seedStudy(target: Target, env: Record<string, string> = {}): Promise<string> {
	Object.assign(process.env, target.env, env);
	resetConfig();
	useBlobStore(undefined);
	const d = await openDatabase({ url: target.url, dataDir: `${target.dataDir}/pglite` });
	await d.migrate();
	await seedDemoSubjects(d.db);
	const slug = await seedDemoStudy(d.db);
	await d.db.update(studies).set({ targetCompletions: null }).where(eq(studies.slug, slug));
	// A study that has been open a while has been vacuumed and analyzed; a fresh database
	// would have autovacuum start on the new tables in the middle of the burst.
	if (target.kind === 'postgres') await d.db.execute(sql`vacuum analyze`);
	await d.close();
	return slug;
}

export interface Verification {
	acknowledged: number;
	found: number;
	rowsInTable: number;
	duplicates: number;
	participants: number;
	completed: number;
	exposureSpread: number;
}

/** After a run: every acknowledged answer stored exactly once, nothing else stored. */
export async function verify(
	target: Target,
	slug: string,
	acknowledged: string[]
): Promise<Verification> {
	const d = await openDatabase({ url: target.url, dataDir: `${target.dataDir}/pglite` });
	const [study] = await d.db.select().from(studies).where(eq(studies.slug, slug));
	const found = await queryRows<{ n: number }>(
		d.db,
		sql`select count(*)::int as n from responses where id = any(${`{${acknowledged.join(',')}}`}::uuid[])`
	);
	const rows = await queryRows<{ n: number }>(
		d.db,
		sql`select count(*)::int as n from responses r join assignments a on a.id = r.assignment_id
			join participants p on p.id = a.participant_id where p.study_id = ${study.id}`
	);
	const dups = await queryRows<{ n: number }>(
		d.db,
		sql`select count(*)::int as n from (select assignment_id, question from responses
			group by 1, 2 having count(*) > 1) x`
	);
	const people = await queryRows<{ n: number; done: number }>(
		d.db,
		sql`select count(*)::int as n, count(completed_at)::int as done from participants
			where study_id = ${study.id} and not preview`
	);
	const exposure = await queryRows<{ spread: number }>(
		d.db,
		sql`select coalesce(max(n) - min(n), 0)::int as spread from (
			select i.subject_id, count(distinct a.participant_id) as n from items i
			left join assignments a on a.item_id = i.id where i.study_id = ${study.id} group by 1) x`
	);
	await d.close();
	return {
		acknowledged: acknowledged.length,
		found: found[0].n,
		rowsInTable: rows[0].n,
		duplicates: dups[0].n,
		participants: people[0].n,
		completed: people[0].done,
		exposureSpread: exposure[0].spread
	};
}

/**
 * Waits until the app has run the jobs the study's opening queued (its images made), as it
 * has before a real launch: a study is opened well before its link is published. PostgreSQL
 * only; on PGlite the jobs run while the benchmark starts.
 */
export async function openingSettled(target: Target, timeoutMs = 120_000): Promise<void> {
	// A PGlite folder belongs to the running server alone: nothing to ask, so no wait.
	if (!target.url) return;
	const d = await openDatabase({ url: target.url });
	try {
		for (const end = Date.now() + timeoutMs; Date.now() < end;) {
			const [{ n }] = await queryRows<{ n: number }>(
				d.db,
				sql`select count(*)::int as n from jobs where queue = 'app' and state in ('queued', 'running')`
			);
			if (n === 0) return;
			await new Promise((r) => setTimeout(r, 250));
		}
		throw new Error('the study opening jobs did not finish');
	} finally {
		await d.close();
	}
}
