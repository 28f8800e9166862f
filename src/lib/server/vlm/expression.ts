import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db';
import { captions, vlmCalls } from '../db/schema';
import { enqueue, PermanentJobError, type JobContext } from '../jobs';
import { imageWithSubject } from '../captions/store';
import {
	askVlm,
	classifyVlmError,
	vlmClient,
	vlmSettings,
	VlmReplyError,
	type VlmSettings
} from './client';
import { imageDataUrl } from './drafting';
import { currentInstruction, fillInstruction } from './instructions';
import { EXPRESSION_JSON_SCHEMA, expressionReply } from './reply';

export const EXPRESSION_JOB = 'vlm.expression';

/** Asks for a suggestion only; an annotator decides whether it becomes the tracked expression. */
export async function queueExpressionSuggestion(db: Db, referenceImageId: string) {
	return enqueue(db, {
		kind: EXPRESSION_JOB,
		payload: { referenceImageId },
		maxAttempts: 6,
		dedupeKey: `${EXPRESSION_JOB}:${referenceImageId}:${crypto.randomUUID()}`
	});
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
	const { referenceImageId } = z
		.object({ referenceImageId: z.string().uuid() })
		.parse(ctx.job.payload);
	const found = await imageWithSubject(db, referenceImageId);
	if (!found) throw new PermanentJobError('The reference image no longer exists.');
	if (found.subject.kind !== 'live')
		throw new PermanentJobError('Facial expressions apply to live subjects only.');
	const s = settings ?? vlmSettings();
	const instruction = await currentInstruction(db, 'expression');
	const started = Date.now();
	const call = {
		referenceImageId,
		jobId: ctx.job.id,
		purpose: 'expression' as const,
		model: s.model,
		instructionId: instruction.id
	};
	try {
		const res = await askVlm(vlmClient(s), s, {
			instruction: fillInstruction(instruction.text, found.subject),
			imageDataUrl: await imageDataUrl(found.image.blobSha256),
			schema: EXPRESSION_JSON_SCHEMA,
			signal: ctx.signal
		});
		const parsed = expressionReply.safeParse(res.json);
		if (!parsed.success)
			throw new VlmReplyError("The model's reply does not match the expression schema.", res.usage);
		await db
			.insert(vlmCalls)
			.values({ ...call, ok: true, durationMs: Date.now() - started, ...res.usage });
		await db
			.update(captions)
			.set({ suggestedExpression: parsed.data.expression || null })
			.where(eq(captions.referenceImageId, referenceImageId));
		return { suggested: parsed.data.expression };
	} catch (e) {
		const err = classifyVlmError(e);
		await db.insert(vlmCalls).values({
			...call,
			ok: false,
			error: err.message.slice(0, 2000),
			durationMs: Date.now() - started,
			...(e instanceof VlmReplyError ? e.usage : {})
		});
		throw err;
	}
}
