import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, type Db, type Tx } from '../db';
import { captions, referenceImages, vlmCalls, type VlmPurpose } from '../db/schema';
import { variantBytes } from '../blobs/variants';
import { enqueue, PermanentJobError, type JobContext } from '../jobs';
import {
	ensureCaptionRows,
	getCaption,
	imageWithSubject,
	structuredChange,
	writeCaption
} from '../captions/store';
import type { SidStructure } from '../../captions/structure';
import { vocab } from '../captions/clip-tokenizer';
import {
	askVlm,
	classifyVlmError,
	vlmClient,
	vlmSettings,
	VlmReplyError,
	type Usage,
	type VlmSettings
} from './client';
import {
	currentInstruction,
	fillInstruction,
	OBJECT_PRESETS,
	type ObjectPreset
} from './instructions';
import { sidReply, SID_JSON_SCHEMA, structureFromReply } from './reply';

export const DRAFT_JOB = 'vlm.draft';

export const draftPayload = z.object({
	referenceImageId: z.string().uuid(),
	/** Set when a person asked for a new draft of an image that already has one. */
	redraft: z.boolean().default(false),
	requestedBy: z.string().uuid().nullable().default(null),
	/** The instruction preset for object and live subjects; style subjects always use C.1. */
	preset: z.enum(OBJECT_PRESETS).default('paper')
});

/** The 1024 px WebP variant as a data URL: small enough to send, large enough to see details. */
export async function imageDataUrl(sha256: string): Promise<string> {
	const v = await variantBytes(sha256, '1024');
	if (!v)
		throw new PermanentJobError(`The image ${sha256.slice(0, 12)} is missing from the blob store.`);
	return `data:${v.mime};base64,${v.data.toString('base64')}`;
}

interface CallRow {
	referenceImageId: string;
	jobId: string | null;
	purpose: VlmPurpose;
	model: string;
	instructionId: string;
	ok: boolean;
	error?: string;
	usage?: Usage;
	durationMs: number;
}

async function recordCall(db: Db | Tx, row: CallRow) {
	await db.insert(vlmCalls).values({
		referenceImageId: row.referenceImageId,
		jobId: row.jobId,
		purpose: row.purpose,
		model: row.model,
		instructionId: row.instructionId,
		ok: row.ok,
		error: row.error?.slice(0, 2000),
		durationMs: row.durationMs,
		...(row.usage ?? {})
	});
}

/**
 * One reference image, one VLM call. Finished work is never redone: a draft written by this
 * job (a re-run after a crash between commit and completion) or any earlier draft, unless a
 * person asked for a new one, ends the job without a call.
 */
export async function runDraftJob(
	db: Db,
	ctx: Pick<JobContext, 'job' | 'signal'>,
	settings?: VlmSettings
) {
	const payload = draftPayload.parse(ctx.job.payload);
	const found = await imageWithSubject(db, payload.referenceImageId);
	if (!found) throw new PermanentJobError('The reference image no longer exists.');
	const { image, subject } = found;
	await ensureCaptionRows(db, subject.id);
	const existing = await getCaption(db, image.id);
	if (existing?.draftJobId === ctx.job.id) return { skipped: 'already drafted by this job' };
	if (existing?.sid && !payload.redraft) return { skipped: 'already drafted' };

	const s = settings ?? vlmSettings();
	// The reply is checked with CLIP's tokenizer before its draft commits; loading the merge
	// list now keeps the moment between a paid reply and its commit short.
	vocab();
	const purpose: VlmPurpose = subject.kind === 'style' ? 'style' : payload.preset;
	const instruction = await currentInstruction(db, purpose);
	const started = Date.now();
	const call = {
		referenceImageId: image.id,
		jobId: ctx.job.id,
		purpose,
		model: s.model,
		instructionId: instruction.id
	};
	let structure: SidStructure;
	let usage: Usage;
	try {
		const res = await askVlm(vlmClient(s), s, {
			instruction: fillInstruction(instruction.text, subject),
			imageDataUrl: await imageDataUrl(image.blobSha256),
			schema: SID_JSON_SCHEMA,
			signal: ctx.signal
		});
		usage = res.usage;
		const parsed = sidReply.safeParse(res.json);
		if (!parsed.success) {
			throw new VlmReplyError(
				`The model's reply does not match the SID schema: ${z.prettifyError(parsed.error)}`,
				usage
			);
		}
		structure = structureFromReply(parsed.data);
	} catch (e) {
		const err = classifyVlmError(e);
		await recordCall(db, {
			...call,
			ok: false,
			error: err.message,
			usage: e instanceof VlmReplyError ? e.usage : undefined,
			durationMs: Date.now() - started
		});
		await db
			.update(captions)
			.set({
				draftError: err.message,
				...(err instanceof PermanentJobError && !existing?.sid ? { status: 'failed' as const } : {})
			})
			.where(eq(captions.referenceImageId, image.id));
		throw err;
	}
	// The successful call is recorded in the draft's own transaction: a crash between the two
	// would otherwise count a call whose draft was lost, and the retry would count it again.
	await saveDraft(db, {
		call: { ...call, ok: true, usage, durationMs: Date.now() - started },
		referenceImageId: image.id,
		structure,
		model: s.model,
		instructionId: instruction.id,
		jobId: ctx.job.id,
		requestedBy: payload.requestedBy
	});
	return { drafted: image.id, tokens: usage.totalTokens };
}

/** Writes a model draft: its structure, the cases composed from it, the flags computed. */
export async function saveDraft(
	db: Db,
	d: {
		referenceImageId: string;
		structure: SidStructure;
		model: string;
		instructionId: string | null;
		jobId: string | null;
		requestedBy?: string | null;
		call?: CallRow;
	}
) {
	const found = await imageWithSubject(db, d.referenceImageId);
	if (!found) throw new PermanentJobError('The reference image no longer exists.');
	const { subject } = found;
	await ensureCaptionRows(db, subject.id);
	return db.transaction(async (tx) => {
		if (d.call) await recordCall(tx, d.call);
		const current = await getCaption(tx, d.referenceImageId);
		return writeCaption(
			tx,
			d.referenceImageId,
			null,
			{
				status: 'review',
				...structuredChange(d.structure, current?.expression ?? null, subject),
				overrideReason: null,
				rejectReason: null,
				draftError: null,
				model: d.model,
				instructionId: d.instructionId,
				draftJobId: d.jobId,
				approvedBy: null,
				approvedAt: null
			},
			{
				action: current?.sid ? 'redraft' : 'draft',
				source: 'model',
				model: d.model,
				userId: d.requestedBy ?? null
			}
		);
	});
}

/**
 * Queues one durable job per reference image that has no draft yet (or every image when
 * `redraft`). The dedupe key makes a double click queue nothing twice.
 */
export async function queueDrafts(
	db: Db,
	opts: {
		subjectIds: string[];
		redraft?: boolean;
		imageIds?: string[];
		requestedBy?: string | null;
		preset?: ObjectPreset;
	}
): Promise<number> {
	for (const id of opts.subjectIds) await ensureCaptionRows(db, id);
	const rows = await db
		.select({ id: referenceImages.id, sid: captions.sid, status: captions.status })
		.from(referenceImages)
		.leftJoin(captions, eq(captions.referenceImageId, referenceImages.id))
		.where(
			and(
				opts.subjectIds.length ? inArray(referenceImages.subjectId, opts.subjectIds) : sql`false`,
				opts.imageIds ? inArray(referenceImages.id, opts.imageIds) : undefined,
				// Rejected drafts count as missing: the person asked for a better one.
				opts.redraft
					? undefined
					: or(isNull(captions.sid), inArray(captions.status, ['failed', 'rejected']))
			)
		);
	const batch = crypto.randomUUID();
	for (const r of rows) {
		const open = await openDraftJob(db, r.id);
		if (open) continue;
		await enqueue(db, {
			kind: DRAFT_JOB,
			payload: {
				referenceImageId: r.id,
				redraft: !!opts.redraft,
				requestedBy: opts.requestedBy ?? null,
				preset: opts.preset ?? 'paper'
			},
			maxAttempts: 6,
			dedupeKey: `${DRAFT_JOB}:${r.id}:${batch}`
		});
	}
	return rows.length;
}

/** A queued or running draft job for the image, so asking twice does not call the VLM twice. */
async function openDraftJob(db: Db, referenceImageId: string) {
	const rows = await queryRows<{ id: string }>(
		db,
		sql`select id from jobs where kind = ${DRAFT_JOB} and state in ('queued', 'running') and payload->>'referenceImageId' = ${referenceImageId} limit 1`
	);
	return rows.length > 0;
}
