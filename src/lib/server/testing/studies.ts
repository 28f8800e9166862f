import sharp from 'sharp';
import type { Db } from '../db';
import { runs, samples, type Study } from '../db/schema';
import { storeImage } from '../blobs/images';
import { createSubject } from '../subjects/subjects';
import {
	createStudy,
	setStudyMethods,
	setStudyState,
	studyMethodList,
	type StudySettings
} from '../studies/studies';
import { buildStudyItems } from '../studies/items';

/** A small, distinct real image per (subject, method, prompt). */
async function tinyImage(seed: number) {
	const data = await sharp({
		create: {
			width: 8,
			height: 8,
			channels: 3,
			background: { r: seed % 256, g: (seed * 7) % 256, b: (seed * 13) % 256 }
		}
	})
		.png()
		.toBuffer();
	return { data, mime: 'image/png', width: 8, height: 8 };
}

/**
 * An open study over `subjects` subjects with `prompts` prompts each, built the real way:
 * subjects, the methods (two unless `methods` names more), one import run per (method,
 * subject), samples, then items (every pair of methods).
 */
export async function seedStudyFixture(
	db: Db,
	opts: {
		subjects?: number;
		prompts?: number;
		slug?: string;
		methods?: string[];
	} & Partial<StudySettings> = {}
): Promise<Study> {
	const {
		subjects: nSubjects = 12,
		prompts = 2,
		slug = 'fixture',
		methods: names = ['Method One', 'Method Two'],
		...settings
	} = opts;
	const study = await createStudy(db, { title: 'Fixture study', slug, ...settings });
	await setStudyMethods(db, study.id, names);
	const methods = await studyMethodList(db, study.id);
	let n = 0;
	for (let s = 0; s < nSubjects; s++) {
		const subject = await createSubject(db, {
			name: `${slug}-subject-${s}`,
			classNoun: 'dog',
			identifier: 'sks',
			kind: 'object'
		});
		for (const m of methods) {
			const [run] = await db
				.insert(runs)
				.values({ methodId: m.id, subjectId: subject.id, source: 'import', state: 'done' })
				.returning();
			for (let p = 0; p < prompts; p++) {
				const blob = await storeImage(db, await tinyImage(n++));
				await db.insert(samples).values({
					runId: run.id,
					prompt: `a sks dog, prompt ${p}`,
					seed: 0,
					blobSha256: blob.sha256
				});
			}
		}
	}
	await buildStudyItems(db, study.id);
	await setStudyState(db, study.id, 'open');
	return { ...study, state: 'open' };
}
