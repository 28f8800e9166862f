import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db';
import { captions, vlmCalls } from '../db/schema';
import { enqueue, PermanentJobError, type JobContext } from '../jobs';
import { getCaption, imageWithSubject } from '../captions/store';
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
import { SELECTIVITY_JSON_SCHEMA, selectivityReply } from './reply';

export const SELECTIVITY_JOB = 'vlm.selectivity';

/** The optional second opinion on a SID, asked for from the review page. */
export async function queueSelectivityPass(db: Db, referenceImageId: string) {
	return enqueue(db, {
		kind: SELECTIVITY_JOB,
		payload: { referenceImageId },
		maxAttempts: 6,
		dedupeKey: `${SELECTIVITY_JOB}:${referenceImageId}:${crypto.randomUUID()}`
	});
}

/**
 * "Does this sentence describe the appearance of the [class] itself?" The verdict is recorded
 * with the SID it judged (no new caption version, so no open edit goes stale); the page shows
 * it as stale once the SID changes. It informs the annotator and never blocks approval: the
 * deterministic rules do that.
 */
export async function runSelectivityJob(
	db: Db,
	ctx: Pick<JobContext, 'job' | 'signal'>,
	settings?: VlmSettings
) {
	const { referenceImageId } = z
		.object({ referenceImageId: z.string().uuid() })
		.parse(ctx.job.payload);
	const found = await imageWithSubject(db, referenceImageId);
	const sid = (await getCaption(db, referenceImageId))?.sid;
	if (!found || !sid) throw new PermanentJobError('There is no SID to check.');
	const s = settings ?? vlmSettings();
	const instruction = await currentInstruction(db, 'selectivity');
	const started = Date.now();
	const call = {
		referenceImageId,
		jobId: ctx.job.id,
		purpose: 'selectivity' as const,
		model: s.model,
		instructionId: instruction.id
	};
	try {
		const res = await askVlm(vlmClient(s), s, {
			instruction: fillInstruction(instruction.text, found.subject).replaceAll('{caption}', sid),
			imageDataUrl: await imageDataUrl(found.image.blobSha256),
			schema: SELECTIVITY_JSON_SCHEMA,
			signal: ctx.signal
		});
		const parsed = selectivityReply.safeParse(res.json);
		if (!parsed.success)
			throw new VlmReplyError("The model's reply does not match the verdict schema.", res.usage);
		const verdict = {
			sid,
			describesSubject: parsed.data.describes_subject,
			words: parsed.data.words,
			model: s.model,
			at: new Date().toISOString()
		};
		await db.transaction(async (tx) => {
			await tx
				.insert(vlmCalls)
				.values({ ...call, ok: true, durationMs: Date.now() - started, ...res.usage });
			await tx
				.update(captions)
				.set({ vlmVerdict: verdict })
				.where(eq(captions.referenceImageId, referenceImageId));
		});
		return { describesSubject: verdict.describesSubject };
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
