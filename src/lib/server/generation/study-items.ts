import { inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { runs } from '../db/schema';
import { listStudies, studyMethodList } from '../studies/studies';
import { refuse } from '../http/refusal';
import { buildStudyItemsFromRuns } from '../studies/items';

/** Studies that compare exactly these two methods (in either order): where a pair of runs fits. */
export async function studiesForMethods(db: Db, methodA: string, methodB: string) {
	const out = [];
	for (const s of await listStudies(db)) {
		const ms = (await studyMethodList(db, s.id)).map((m) => m.id);
		if (ms.length === 2 && ms.includes(methodA) && ms.includes(methodB) && methodA !== methodB) {
			out.push({ id: s.id, title: s.title, state: s.state, items: s.items });
		}
	}
	return out;
}

/** One click: a pair of finished runs becomes the study's items for their subject. */
export async function studyItemsFromRunPair(
	db: Db,
	studyId: string,
	runA: string,
	runB: string
): Promise<number> {
	const pair = await db
		.select()
		.from(runs)
		.where(inArray(runs.id, [runA, runB]));
	if (pair.length !== 2 || pair.some((r) => r.state !== 'done')) {
		refuse(400, 'Both runs must have finished.');
	}
	return buildStudyItemsFromRuns(db, studyId, runA, runB);
}
