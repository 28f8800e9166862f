import { asc, count, eq, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { captions, referenceImages, subjects } from '../db/schema';
import { baselineCaption, withExpression } from './descriptions';
import { refuse } from '../http/refusal';

export type DescriptionCase = 1 | 2 | 3 | 4;

/** Cases 2-4 are only handed out when that case of every reference image is approved. */
function refuseUnapproved(
	subjectId: string,
	unapproved: { referenceImageId: string; filename: string }[]
): never {
	refuse(
		409,
		`${unapproved.length} reference image(s) have no approved caption: ${unapproved
			.map((u) => u.filename)
			.join(', ')}`,
		{},
		{ subjectId, unapproved }
	);
}

export interface TrainingCaption {
	referenceImageId: string;
	blobSha256: string;
	maskSha256: string | null;
	caption: string;
}

/**
 * The training caption of every reference image for one description case (Tab. 1). Case 1 is
 * built from the subject ("a [v] [class]", or the C.1 style phrase); case 2-4 come from the
 * approved captions, with the tracked facial expression placed after "[v] [class]" (D.2).
 */
export async function trainingCaptions(
	db: Db,
	subjectId: string,
	descriptionCase: DescriptionCase
): Promise<TrainingCaption[]> {
	const [subject] = await db.select().from(subjects).where(eq(subjects.id, subjectId));
	if (!subject) refuse(404, `No subject ${subjectId}.`);
	const rows = await db
		.select({ image: referenceImages, caption: captions })
		.from(referenceImages)
		.leftJoin(captions, eq(captions.referenceImageId, referenceImages.id))
		.where(eq(referenceImages.subjectId, subjectId))
		.orderBy(asc(referenceImages.position), asc(referenceImages.createdAt));
	const base = (r: (typeof rows)[number]) => ({
		referenceImageId: r.image.id,
		blobSha256: r.image.blobSha256,
		maskSha256: r.image.maskSha256
	});
	if (descriptionCase === 1)
		return rows.map((r) => ({ ...base(r), caption: baselineCaption(subject) }));
	// Case 3 is approved through the caption's status; cases 2 and 4 each on their own.
	const approved = (c: (typeof rows)[number]['caption']) =>
		descriptionCase === 3 ? c?.status === 'approved' : !!c?.approvedCases.includes(descriptionCase);
	const unapproved = rows.filter((r) => !approved(r.caption));
	if (unapproved.length) {
		refuseUnapproved(
			subjectId,
			unapproved.map((r) => ({ referenceImageId: r.image.id, filename: r.image.filename }))
		);
	}
	return rows.map((r) => {
		const c = r.caption!;
		const text = descriptionCase === 2 ? c.caseTwo : descriptionCase === 3 ? c.sid : c.caseFour;
		return { ...base(r), caption: withExpression(text ?? '', c.expression, subject) ?? text ?? '' };
	});
}

export interface CaptionProgress {
	total: number;
	drafted: number;
	inReview: number;
	approved: number;
	rejected: number;
	failed: number;
}

/** Counts for a subject: drafted means a draft exists (in review, approved or rejected). */
export async function captionProgress(db: Db, subjectId: string): Promise<CaptionProgress> {
	const [row] = await db
		.select({
			total: count(referenceImages.id),
			drafted: sql<number>`count(*) filter (where ${captions.sid} is not null)`.mapWith(Number),
			inReview: sql<number>`count(*) filter (where ${captions.status} = 'review')`.mapWith(Number),
			approved: sql<number>`count(*) filter (where ${captions.status} = 'approved')`.mapWith(
				Number
			),
			rejected: sql<number>`count(*) filter (where ${captions.status} = 'rejected')`.mapWith(
				Number
			),
			failed: sql<number>`count(*) filter (where ${captions.status} = 'failed')`.mapWith(Number)
		})
		.from(referenceImages)
		.leftJoin(captions, eq(captions.referenceImageId, referenceImages.id))
		.where(eq(referenceImages.subjectId, subjectId));
	return row;
}
