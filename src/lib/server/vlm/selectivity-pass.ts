import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { captions } from '../db/schema';
import { PermanentJobError, type JobContext } from '../jobs';
import { getCaption, imageWithSubject } from '../captions/store';
import { vlmSettings, type VlmSettings } from './client';
import { currentInstruction, fillInstruction } from './instructions';
import { SELECTIVITY_JSON_SCHEMA, selectivityReply } from './reply';
import { queueSideCall, sideCall, sideCallImageId } from './side-call';

export const SELECTIVITY_JOB = 'vlm.selectivity';

/** The optional second opinion on a SID, asked for from the review page. */
export function queueSelectivityPass(db: Db, referenceImageId: string) {
	return queueSideCall(db, SELECTIVITY_JOB, referenceImageId);
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
	const referenceImageId = sideCallImageId(ctx);
	const found = await imageWithSubject(db, referenceImageId);
	const sid = (await getCaption(db, referenceImageId))?.sid;
	if (!found || !sid) throw new PermanentJobError('There is no SID to check.');
	const s = settings ?? vlmSettings();
	const instruction = await currentInstruction(db, 'selectivity');
	const reply = await sideCall(db, ctx, s, {
		referenceImageId,
		purpose: 'selectivity',
		instruction,
		text: fillInstruction(instruction.text, found.subject).replaceAll('{caption}', sid),
		imageSha256: found.image.blobSha256,
		schema: SELECTIVITY_JSON_SCHEMA,
		reply: selectivityReply,
		store: async (tx, r) => {
			const verdict = {
				sid,
				describesSubject: r.describes_subject,
				words: r.words,
				model: s.model,
				at: new Date().toISOString()
			};
			await tx
				.update(captions)
				.set({ vlmVerdict: verdict })
				.where(eq(captions.referenceImageId, referenceImageId));
		}
	});
	return { describesSubject: reply.describes_subject };
}
