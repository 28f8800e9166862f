import { and, asc, desc, eq, ne } from 'drizzle-orm';
import type { Db } from '../db';
import { jobs, methods, runs, samples, subjects, type Sample } from '../db/schema';
import { syncRunStates } from './runs';

async function runWithNames(db: Db, id: string) {
	const [row] = await db
		.select({
			id: runs.id,
			state: runs.state,
			subjectId: runs.subjectId,
			methodId: runs.methodId,
			method: methods.name,
			trainer: methods.trainer,
			descriptionCase: methods.descriptionCase,
			subject: subjects.name,
			identifier: subjects.identifier,
			classNoun: subjects.classNoun,
			config: runs.config,
			metrics: runs.metrics,
			createdAt: runs.createdAt,
			result: jobs.result
		})
		.from(runs)
		.innerJoin(methods, eq(methods.id, runs.methodId))
		.innerJoin(subjects, eq(subjects.id, runs.subjectId))
		.leftJoin(jobs, eq(jobs.id, runs.jobId))
		.where(eq(runs.id, id));
	return row ?? null;
}
export type GalleryRun = NonNullable<Awaited<ReturnType<typeof runWithNames>>>;

/** Other runs of the same subject, the natural partner first: same batch, another method. */
export async function partnerCandidates(db: Db, run: GalleryRun) {
	const others = await db
		.select({
			id: runs.id,
			method: methods.name,
			methodId: runs.methodId,
			state: runs.state,
			config: runs.config,
			createdAt: runs.createdAt
		})
		.from(runs)
		.innerJoin(methods, eq(methods.id, runs.methodId))
		.where(and(eq(runs.subjectId, run.subjectId), ne(runs.id, run.id)))
		.orderBy(desc(runs.createdAt));
	const batch = run.config?.batch;
	const score = (o: (typeof others)[number]) =>
		(o.methodId !== run.methodId ? 4 : 0) +
		(batch && o.config?.batch === batch ? 2 : 0) +
		(o.state === 'done' ? 1 : 0);
	return [...others]
		.sort((a, b) => score(b) - score(a))
		.map(({ config, ...o }) => ({ ...o, sameBatch: !!batch && config?.batch === batch }));
}

/**
 * A run's samples next to another run's, matched by prompt and seed. Prompts are compared
 * without the identifier, so runs of the same subject line up even if a method writes the
 * prompt differently.
 */
export async function comparison(db: Db, runId: string, partnerId?: string | null) {
	await syncRunStates(db);
	const opened = await runWithNames(db, runId);
	if (!opened) return null;
	const candidates = await partnerCandidates(db, opened);
	const chosen = partnerId ? candidates.find((c) => c.id === partnerId) : candidates[0];
	const other = chosen ? await runWithNames(db, chosen.id) : null;
	// Method A of the form (the baseline) stays on the left whichever run was opened.
	const swap =
		!!other &&
		other.config?.batch === opened.config?.batch &&
		Number(other.config?.slot ?? 0) < Number(opened.config?.slot ?? 0);
	const run = swap ? other! : opened;
	const partner = swap ? opened : other;
	const load = (id: string) =>
		db
			.select()
			.from(samples)
			.where(eq(samples.runId, id))
			.orderBy(asc(samples.prompt), asc(samples.seed));
	const mine = await load(run.id);
	const theirs = partner ? await load(partner.id) : [];
	const key = (s: Sample) => `${s.prompt}\u0000${s.seed}`;
	const byKey = new Map(theirs.map((s) => [key(s), s]));
	const rows: { prompt: string; seed: number; a: Sample | null; b: Sample | null }[] = mine.map(
		(s) => ({ prompt: s.prompt, seed: s.seed, a: s, b: byKey.get(key(s)) ?? null })
	);
	const seen = new Set(mine.map(key));
	for (const s of theirs) {
		if (!seen.has(key(s))) rows.push({ prompt: s.prompt, seed: s.seed, a: null, b: s });
	}
	rows.sort((x, y) => x.prompt.localeCompare(y.prompt) || x.seed - y.seed);
	return { run, partner, candidates: swap ? await partnerCandidates(db, run) : candidates, rows };
}
