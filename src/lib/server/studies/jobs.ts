import { z } from 'zod';
import { db } from '../db';
import { registerJobHandler } from '../jobs';
import { WARM_IMAGES_JOB, warmStudyImages } from './warm-images';

const warmPayload = z.object({ studyId: z.uuid() });

registerJobHandler(WARM_IMAGES_JOB, {
	run: async ({ job, report, signal }) => {
		const { studyId } = warmPayload.parse(job.payload);
		return warmStudyImages(await db(), studyId, report, signal);
	}
});
