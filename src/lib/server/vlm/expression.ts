import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { captions } from '../db/schema';
import { PermanentJobError, type JobContext } from '../jobs';
import { imageWithSubject } from '../captions/store';
import { vlmSettings, type VlmSettings } from './client';
import { currentInstruction, fillInstruction } from './instructions';
import { EXPRESSION_JSON_SCHEMA, expressionReply } from './reply';
import { queueSideCall, sideCall, sideCallImageId } from './side-call';

export const EXPRESSION_JOB = 'vlm.expression';

/** Asks for a suggestion only; an annotator decides whether it becomes the tracked expression. */
export function queueExpressionSuggestion(db: Db, referenceImageId: string) {
	return queueSideCall(db, EXPRESSION_JOB, referenceImageId);
}

/**
 * D.2's second instruction. The suggestion is stored beside the caption without a new version,
 * so it never makes an annotator's open edit stale.
 */
export async function runExpressionJob(
	db: Db,
	ctx: Pick<JobContext, 'job' | 'signal'>,
	settings?: VlmSettings
) {
	const referenceImageId = sideCallImageId(ctx);
	const found = await imageWithSubject(db, referenceImageId);
	if (!found) throw new PermanentJobError('The reference image no longer exists.');
	if (found.subject.kind !== 'live')
		throw new PermanentJobError('Facial expressions apply to live subjects only.');
	const s = settings ?? vlmSettings();
	const instruction = await currentInstruction(db, 'expression');
	const reply = await sideCall(db, ctx, s, {
		referenceImageId,
		purpose: 'expression',
		instruction,
		text: fillInstruction(instruction.text, found.subject),
		imageSha256: found.image.blobSha256,
		schema: EXPRESSION_JSON_SCHEMA,
		reply: expressionReply,
		store: async (tx, r) => {
			await tx
				.update(captions)
				.set({ suggestedExpression: r.expression || null })
				.where(eq(captions.referenceImageId, referenceImageId));
		}
	});
	return { suggested: reply.expression };
}
