import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { items, runs, samples, type Sample } from '../db/schema';
import { hasResponses, studyMethodList } from './studies';
import { refuse } from '../http/refusal';
import { resetSlots } from './slots';

function bySeed(a: Sample, b: Sample) {
	return a.seed - b.seed;
}

/**
 * Turns a pair of finished runs (same subject, two of the study's methods) into items: for
 * each prompt both runs sampled, one sample of each, the lowest seed both share (else each
 * run's lowest seed), so the choice is recorded by the samples' seeds and repeatable.
 * Sample A is always the method listed first in the study. Idempotent. Returns the number
 * of new items.
 */
export async function buildStudyItemsFromRuns(
	db: Db,
	studyId: string,
	runAId: string,
	runBId: string
): Promise<number> {
	if (await hasResponses(db, studyId)) {
		refuse(409, 'Participants have answered: the items can no longer change.');
	}
	const rs = await db
		.select()
		.from(runs)
		.where(inArray(runs.id, [runAId, runBId]));
	const methodsOf = (await studyMethodList(db, studyId)).map((m) => m.id);
	let runA = rs.find((r) => r.id === runAId);
	let runB = rs.find((r) => r.id === runBId);
	if (!runA || !runB) refuse(404, 'Both runs must exist.');
	if (runA.subjectId !== runB.subjectId) refuse(400, 'Both runs must be of the same subject.');
	const [posA, posB] = [methodsOf.indexOf(runA.methodId), methodsOf.indexOf(runB.methodId)];
	if (posA < 0 || posB < 0 || posA === posB) {
		refuse(400, "The runs' methods are not two different methods this study compares.");
	}
	if (posB < posA) [runA, runB] = [runB, runA];
	const all = await db
		.select()
		.from(samples)
		.where(inArray(samples.runId, [runA.id, runB.id]));
	const prompts = new Map<string, { a: Sample[]; b: Sample[] }>();
	for (const s of all) {
		const entry = prompts.get(s.prompt) ?? { a: [], b: [] };
		(s.runId === runA.id ? entry.a : entry.b).push(s);
		prompts.set(s.prompt, entry);
	}
	const values = [];
	for (const [prompt, { a, b }] of prompts) {
		if (!a.length || !b.length) continue;
		a.sort(bySeed);
		b.sort(bySeed);
		const shared = a.find((x) => b.some((y) => y.seed === x.seed));
		const sa = shared ?? a[0];
		const sb = shared ? b.find((y) => y.seed === shared.seed)! : b[0];
		values.push({ studyId, subjectId: runA.subjectId, prompt, sampleAId: sa.id, sampleBId: sb.id });
	}
	if (!values.length) return 0;
	const inserted = await db
		.insert(items)
		.values(values)
		.onConflictDoNothing()
		.returning({ id: items.id });
	// The schedule's free slots know only the old items.
	if (inserted.length) await resetSlots(db, studyId);
	return inserted.length;
}

/**
 * Items for every pair of compared methods (k methods: k(k-1)/2 pairs) on every subject that
 * has a finished run of both (the latest run of each), so each subject offers every pair and
 * assignment can balance the pairs per subject.
 */
export async function buildStudyItems(db: Db, studyId: string): Promise<number> {
	const ms = await studyMethodList(db, studyId);
	if (ms.length < 2) refuse(400, 'Choose at least two methods for this study first.');
	const done = await db
		.select()
		.from(runs)
		.where(
			and(
				inArray(
					runs.methodId,
					ms.map((m) => m.id)
				),
				eq(runs.state, 'done')
			)
		)
		.orderBy(desc(runs.createdAt));
	const latest = new Map<string, string>();
	for (const r of done) {
		const key = `${r.subjectId}:${r.methodId}`;
		if (!latest.has(key)) latest.set(key, r.id);
	}
	let n = 0;
	for (const subjectId of new Set(done.map((r) => r.subjectId))) {
		for (let i = 0; i < ms.length; i++) {
			for (let j = i + 1; j < ms.length; j++) {
				const a = latest.get(`${subjectId}:${ms[i].id}`);
				const b = latest.get(`${subjectId}:${ms[j].id}`);
				if (a && b) n += await buildStudyItemsFromRuns(db, studyId, a, b);
			}
		}
	}
	return n;
}
