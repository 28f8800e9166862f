import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, asc, eq } from 'drizzle-orm';
import sharp from 'sharp';
import type { Db } from '../db';
import { methods, referenceImages, runs, samples, subjects } from '../db/schema';
import { blobStore } from '../blobs/store';
import { normalizeImage, storeImage } from '../blobs/images';
import { fillPrompt, parsePromptsAndClasses } from '../subjects/dataset';
import {
	createStudy,
	getStudyBySlug,
	setStudyMethods,
	setStudyState,
	studyMethodList
} from '../studies/studies';
import { buildStudyItems } from '../studies/items';
import { DEMO_DATASET } from './seed';

export const DEMO_STUDY_SLUG = 'demo';
const METHODS = ['DreamBooth (demo stand-in)', 'DreamBooth + SID (demo stand-in)'];
/**
 * A third method with runs on every demo subject but in no demo study, so a study over three
 * methods (pairs and a Bradley-Terry ranking) can be built from the admin pages.
 */
export const DEMO_THIRD_METHOD = 'Textual Inversion (demo stand-in)';

/**
 * No generated images exist in the demo, so each side is a clearly labelled stand-in made
 * from the subject's own photos: A is a centre crop of one photo, B a warm-tinted copy of
 * another, C (the third method) a grey copy of the first. The study is flagged so
 * participants and admins see that they are stand-ins.
 */
async function standIns(db: Db, subjectId: string): Promise<[string, string, string] | null> {
	const refs = await db
		.select({ sha: referenceImages.blobSha256 })
		.from(referenceImages)
		.where(eq(referenceImages.subjectId, subjectId))
		.orderBy(asc(referenceImages.position));
	if (refs.length < 2) return null;
	const store = blobStore();
	const a = await store.get(refs[0].sha);
	const b = await store.get(refs[1].sha);
	if (!a || !b) return null;
	const meta = await sharp(a).metadata();
	const side = Math.round(Math.min(meta.width ?? 512, meta.height ?? 512) * 0.8);
	const cropped = await sharp(a).resize(side, side, { fit: 'cover' }).png().toBuffer();
	const tinted = await sharp(b).modulate({ hue: 30, saturation: 1.3 }).png().toBuffer();
	const grey = await sharp(a).grayscale().png().toBuffer();
	const sa = await storeImage(db, await normalizeImage(cropped, 'stand-in A'));
	const sb = await storeImage(db, await normalizeImage(tinted, 'stand-in B'));
	const sc = await storeImage(db, await normalizeImage(grey, 'stand-in C'));
	return [sa.sha256, sb.sha256, sc.sha256];
}

/** An open demo study over the demo subjects, with a participant link. Idempotent. */
export async function seedDemoStudy(db: Db, dataset = DEMO_DATASET): Promise<string> {
	if (await getStudyBySlug(db, DEMO_STUDY_SLUG)) return DEMO_STUDY_SLUG;
	const index = parsePromptsAndClasses(
		readFileSync(join(dataset, 'prompts_and_classes.txt'), 'utf8')
	);
	const study = await createStudy(db, {
		slug: DEMO_STUDY_SLUG,
		title: 'Which image fits better? (demo)',
		instructions:
			'You will compare two images at a time. Both were made to show the same subject, described by a short text prompt. Please look at the reference photos, the prompt and both images before answering.',
		consent:
			'This is a demonstration of SID Studio. Your answers are stored without your name and used only to show how the study works.\n\nYou can stop at any time by closing the page.',
		completionCode: 'SIDDEMO1',
		standInImages: true
	});
	await setStudyMethods(db, study.id, METHODS);
	const [ma, mb] = await studyMethodList(db, study.id);
	await db.insert(methods).values({ name: DEMO_THIRD_METHOD }).onConflictDoNothing();
	const [mc] = await db.select().from(methods).where(eq(methods.name, DEMO_THIRD_METHOD));
	const all = await db.select().from(subjects).orderBy(asc(subjects.name));
	for (const s of all) {
		const images = await standIns(db, s.id);
		if (!images) continue;
		const templates = s.kind === 'live' ? index.prompts.live : index.prompts.object;
		const prompts = templates.slice(0, 2).map((t) => fillPrompt(t, s.identifier, s.classNoun));
		for (const [m, sha] of [
			[ma, images[0]],
			[mb, images[1]],
			[mc, images[2]]
		] as const) {
			const [existing] = await db
				.select({ id: runs.id })
				.from(runs)
				.where(and(eq(runs.methodId, m.id), eq(runs.subjectId, s.id)));
			const runId =
				existing?.id ??
				(
					await db
						.insert(runs)
						.values({ methodId: m.id, subjectId: s.id, source: 'import', state: 'done' })
						.returning({ id: runs.id })
				)[0].id;
			for (const prompt of prompts) {
				await db
					.insert(samples)
					.values({ runId, prompt, seed: 0, blobSha256: sha })
					.onConflictDoNothing();
			}
		}
	}
	await buildStudyItems(db, study.id);
	await setStudyState(db, study.id, 'open');
	return DEMO_STUDY_SLUG;
}
