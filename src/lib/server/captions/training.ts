/*
 * PLACEHOLDER from the gpuapp branch. The curation branch owns this file and replaces it
 * at merge with the real implementation (approved SID captions per reference image); the
 * exported names and signatures below are the agreed contract and must stay as they are.
 * Here only description case 1 exists, because this branch has no caption tables.
 */
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { referenceImages, subjects } from '../db/schema';

export type DescriptionCase = 1 | 2 | 3 | 4;

export interface TrainingCaption {
	referenceImageId: string;
	blobSha256: string;
	maskSha256: string | null;
	caption: string;
}

/** Cases 2-4 need a caption per image that an annotator approved; some are not approved. */
export class CaptionsNotApproved extends Error {
	constructor(
		readonly subjectId: string,
		readonly descriptionCase: DescriptionCase,
		message = `Not every reference image of this subject has an approved case-${descriptionCase} caption.`
	) {
		super(message);
	}
}

/** One training caption per reference image of the subject, for the given description case. */
export async function trainingCaptions(
	db: Db,
	subjectId: string,
	descriptionCase: DescriptionCase
): Promise<TrainingCaption[]> {
	const [subject] = await db.select().from(subjects).where(eq(subjects.id, subjectId));
	if (!subject) throw new Error(`No subject ${subjectId}.`);
	if (descriptionCase !== 1) throw new CaptionsNotApproved(subjectId, descriptionCase);
	const images = await db
		.select()
		.from(referenceImages)
		.where(eq(referenceImages.subjectId, subjectId))
		.orderBy(asc(referenceImages.position), asc(referenceImages.createdAt));
	return images.map((img) => ({
		referenceImageId: img.id,
		blobSha256: img.blobSha256,
		maskSha256: img.maskSha256,
		caption: `a ${subject.identifier} ${subject.classNoun}`
	}));
}
