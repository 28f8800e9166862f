import { and, asc, eq, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db';
import { captions, referenceImages, vlmCalls } from '../db/schema';
import { DRAFT_JOB } from '../vlm/drafting';
import { captionProgress } from './training';

/** What the admin watches while a subject is drafted: counts, per-image state, jobs, tokens. */
export async function draftingStatus(db: Db, subjectId: string) {
	const images = await db
		.select({
			id: referenceImages.id,
			filename: referenceImages.filename,
			status: sql<string>`coalesce(${captions.status}::text, 'pending')`,
			draftError: captions.draftError,
			model: captions.model
		})
		.from(referenceImages)
		.leftJoin(captions, eq(captions.referenceImageId, referenceImages.id))
		.where(eq(referenceImages.subjectId, subjectId))
		.orderBy(asc(referenceImages.position));
	const jobs = await queryRows<{ state: string; n: number }>(
		db,
		sql`select j.state::text as state, count(*)::int as n from jobs j
			join reference_images r on r.id::text = j.payload->>'referenceImageId'
			where j.kind = ${DRAFT_JOB} and r.subject_id = ${subjectId} group by j.state`
	);
	const [usage] = await db
		.select({
			calls: sql<number>`count(*)`.mapWith(Number),
			totalTokens: sql<number>`coalesce(sum(${vlmCalls.totalTokens}), 0)`.mapWith(Number)
		})
		.from(vlmCalls)
		.innerJoin(referenceImages, eq(referenceImages.id, vlmCalls.referenceImageId))
		.where(and(eq(referenceImages.subjectId, subjectId)));
	return {
		progress: await captionProgress(db, subjectId),
		images,
		jobs: Object.fromEntries(jobs.map((j) => [j.state, Number(j.n)])) as Record<string, number>,
		usage
	};
}
export type DraftingStatus = Awaited<ReturnType<typeof draftingStatus>>;
