import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq, isNull, or } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db';
import { captions, referenceImages } from '../db/schema';
import { saveDraft } from '../vlm/drafting';
import { ensureCaptionRows } from './store';
import { sidStructure } from './descriptions';

export const DEMO_RECORDING = join(process.cwd(), 'demo', 'sid-demo-recording.json');

const recording = z.object({
	model: z.literal('demo-recording'),
	note: z.string(),
	replies: z.record(z.string(), sidStructure)
});

/**
 * Demo drafts come from a recorded, labelled structure per image (model 'demo-recording'), never a live
 * call, so the demo's queue is full without an API key. Only images without a draft get one.
 */
export async function seedDemoCaptions(db: Db, file = DEMO_RECORDING): Promise<number> {
	const rec = recording.parse(JSON.parse(readFileSync(file, 'utf8')));
	const rows = await db
		.select({
			id: referenceImages.id,
			subjectId: referenceImages.subjectId,
			filename: referenceImages.filename
		})
		.from(referenceImages)
		.leftJoin(captions, eq(captions.referenceImageId, referenceImages.id))
		.where(or(isNull(captions.referenceImageId), isNull(captions.sid)));
	let drafted = 0;
	for (const r of rows) {
		const structure = rec.replies[r.filename];
		if (!structure) continue;
		await ensureCaptionRows(db, r.subjectId);
		await saveDraft(db, {
			referenceImageId: r.id,
			structure,
			model: rec.model,
			instructionId: null,
			jobId: null
		});
		drafted++;
	}
	return drafted;
}
