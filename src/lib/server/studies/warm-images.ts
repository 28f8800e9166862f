import { sql } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '../db';
import { enqueue, type Progress } from '../jobs/queue';
import { variantBytes, type Variant } from '../blobs/variants';

export const WARM_IMAGES_JOB = 'study.warm-images';

/**
 * Queued when a study opens: makes every image size the survey shows before the first
 * participant asks for it. At a launch, hundreds of arrivals otherwise wait on the resizes
 * together (a few hundred of them, tens of milliseconds of CPU each, on the cores that
 * also admit the arrivals). Each open queues it again; what is already made costs a lookup.
 */
export async function queueWarmImages(db: Db | Tx, studyId: string): Promise<void> {
	await enqueue(db, { kind: WARM_IMAGES_JOB, payload: { studyId }, maxAttempts: 2 });
}

/** The images and sizes the question page shows: each pair at 512, the references at 256. */
export async function studyImages(
	db: Db,
	studyId: string
): Promise<{ sha256: string; variant: Variant }[]> {
	return queryRows(
		db,
		sql`select distinct s.blob_sha256 as sha256, '512' as variant
			from items i join samples s on s.id in (i.sample_a_id, i.sample_b_id)
			where i.study_id = ${studyId}::uuid
			union
			select ri.blob_sha256, '256'
			from (select distinct subject_id from items where study_id = ${studyId}::uuid) sub
			cross join lateral (select blob_sha256 from reference_images r
				where r.subject_id = sub.subject_id order by r.position limit 4) ri
			order by 1, 2`
	);
}

/** One image after another: warming must not crowd out a study that is already running. */
export async function warmStudyImages(
	db: Db,
	studyId: string,
	report: (p: Progress) => Promise<void>,
	signal?: AbortSignal
): Promise<{ images: number }> {
	const images = await studyImages(db, studyId);
	for (const [i, image] of images.entries()) {
		signal?.throwIfAborted();
		await variantBytes(image.sha256, image.variant);
		if (i % 25 === 24) await report({ progress: (i + 1) / images.length });
	}
	return { images: images.length };
}
