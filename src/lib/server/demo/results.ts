/**
 * A demo study with answers, so the results page has something to show. The
 * "generated" images are stand-ins (the subjects' own reference photos) and
 * the study says so to participants (standInImages).
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { referenceImages, runs, samples, subjects } from '../db/schema';
import { buildStudyItems } from '../studies/items';
import { createStudy, getStudyBySlug, setStudyMethods, setStudyState, studyMethodList } from '../studies/studies';
import { answerStudy } from './simulate';

export const DEMO_RESULTS_SLUG = 'demo-results';

/** Idempotent: does nothing when the demo study exists. Returns its id. */
export async function seedDemoResults(db: Db, participants = 24): Promise<string> {
	const existing = await getStudyBySlug(db, DEMO_RESULTS_SLUG);
	if (existing) return existing.id;
	const study = await createStudy(db, {
		title: 'Example results: DreamBooth vs DreamBooth + SID (simulated answers)',
		slug: DEMO_RESULTS_SLUG,
		standInImages: true,
		attentionCheck: true,
		subjectsPerParticipant: 10
	});
	// Own method names: runs of the real "DreamBooth" methods would flow into every new study's items.
	await setStudyMethods(db, study.id, ['DreamBooth (simulated)', 'DreamBooth + SID (simulated)']);
	const methods = await studyMethodList(db, study.id);
	const subjectRows = await db.select().from(subjects).orderBy(subjects.name);
	for (const subject of subjectRows.slice(0, 12)) {
		const refs = await db
			.select()
			.from(referenceImages)
			.where(eq(referenceImages.subjectId, subject.id))
			.orderBy(referenceImages.position);
		if (refs.length < 2) continue;
		for (const [m, method] of methods.entries()) {
			const [run] = await db
				.insert(runs)
				.values({ methodId: method.id, subjectId: subject.id, source: 'import', state: 'done' })
				.returning();
			for (let p = 0; p < 2; p++) {
				await db.insert(samples).values({
					runId: run.id,
					prompt: `a ${subject.identifier} ${subject.classNoun} ${p === 0 ? 'on the beach' : 'in the snow'}`,
					seed: 0,
					blobSha256: refs[(m + p) % refs.length].blobSha256
				});
			}
		}
	}
	await buildStudyItems(db, study.id);
	await setStudyState(db, study.id, 'open');
	const open = (await getStudyBySlug(db, DEMO_RESULTS_SLUG))!;
	// Shares close to the paper's Table B.2; participant 3 fails one of the two attention checks
	// (tolerated by Prolific's rule), 5 is a speeder.
	const cuts: Record<string, [number, number]> = {
		subject: [41, 77],
		disentanglement: [69, 80],
		text: [60, 68],
		overall: [71, 86]
	};
	await answerStudy(
		db,
		open,
		participants,
		(i, screen, q) => {
			const v = (i * 37 + screen * 53 + q.length * 11) % 100;
			const [b, a] = cuts[q] ?? [50, 90];
			return v < b ? 'b' : v < a ? 'a' : 'undecided';
		},
		{
			clientMs: (i) => (i === 5 ? 400 : 3000 + ((i * 311) % 4000)),
			attention: (i, check) => (i === 3 && check === 0 ? 'left' : open.attentionAnswer),
			complete: (i) => i !== participants - 1
		}
	);
	return study.id;
}
