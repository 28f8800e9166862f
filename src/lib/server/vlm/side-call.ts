import { z } from 'zod';
import type { Db, Tx } from '../db';
import { vlmCalls, type VlmInstruction } from '../db/schema';
import { enqueue, type JobContext } from '../jobs';
import { askVlm, classifyVlmError, vlmClient, VlmReplyError, type VlmSettings } from './client';
import { imageDataUrl } from './drafting';

/**
 * One VLM call about one reference image beside its draft (an expression suggestion, a second
 * opinion on a SID): the call is recorded in `vlm_calls` whatever happens, and a good reply is
 * stored in the same transaction as its record, so a crash can never leave a paid call that
 * nothing remembers.
 */
export async function sideCall<S extends z.ZodType>(
	db: Db,
	ctx: Pick<JobContext, 'job' | 'signal'>,
	s: VlmSettings,
	opts: {
		referenceImageId: string;
		purpose: 'expression' | 'selectivity';
		instruction: Pick<VlmInstruction, 'id'>;
		text: string;
		imageSha256: string;
		schema: { name: string; strict: boolean; schema: object };
		reply: S;
		store: (tx: Tx, value: z.infer<S>) => Promise<void>;
	}
): Promise<z.infer<S>> {
	const started = Date.now();
	const call = {
		referenceImageId: opts.referenceImageId,
		jobId: ctx.job.id,
		purpose: opts.purpose,
		model: s.model,
		instructionId: opts.instruction.id
	};
	try {
		const res = await askVlm(vlmClient(s), s, {
			instruction: opts.text,
			imageDataUrl: await imageDataUrl(opts.imageSha256),
			schema: opts.schema,
			signal: ctx.signal
		});
		const parsed = opts.reply.safeParse(res.json);
		if (!parsed.success)
			throw new VlmReplyError(
				`The model's reply does not match the ${opts.purpose} schema.`,
				res.usage
			);
		await db.transaction(async (tx) => {
			await tx
				.insert(vlmCalls)
				.values({ ...call, ok: true, durationMs: Date.now() - started, ...res.usage });
			await opts.store(tx, parsed.data);
		});
		return parsed.data;
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

/** Queues one side call about a reference image; each request is its own job (no dedupe). */
export function queueSideCall(db: Db, kind: string, referenceImageId: string) {
	return enqueue(db, {
		kind,
		payload: { referenceImageId },
		maxAttempts: 6,
		dedupeKey: `${kind}:${referenceImageId}:${crypto.randomUUID()}`
	});
}

/** The reference image a side-call job is about, checked at the boundary. */
export function sideCallImageId(ctx: Pick<JobContext, 'job'>): string {
	return z.object({ referenceImageId: z.string().uuid() }).parse(ctx.job.payload).referenceImageId;
}
