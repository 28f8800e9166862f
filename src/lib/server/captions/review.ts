import { and, asc, eq, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db';
import { captions, referenceImages, subjects, type Caption } from '../db/schema';
import { flagsFor, getCaption, imageWithSubject, snapshot, writeCaption } from './store';
import { displayName } from './item';
import { refuse } from '../http/refusal';
import { recordAudit } from '../audit/trail';

/** An item returns to the queue after this long without activity from its holder. */
export const LEASE_MINUTES = 10;

/**
 * Hands the annotator one image whose draft needs review: the one they already hold, or the
 * oldest unleased (or abandoned) one. FOR UPDATE SKIP LOCKED lets two annotators ask at the
 * same moment without ever getting the same row.
 */
export async function nextItem(
	db: Db,
	userId: string,
	opts: { subjectId?: string; skip?: string } = {}
): Promise<string | null> {
	return db.transaction(async (tx) => {
		const [mine] = await tx
			.select({ id: captions.referenceImageId })
			.from(captions)
			.where(
				and(
					eq(captions.status, 'review'),
					eq(captions.leaseUserId, userId),
					sql`${captions.leaseExpiresAt} > now()`,
					opts.skip ? ne(captions.referenceImageId, opts.skip) : undefined
				)
			)
			.limit(1);
		if (mine) return mine.id;
		const [free] = await tx
			.select({ id: captions.referenceImageId })
			.from(captions)
			.innerJoin(referenceImages, eq(referenceImages.id, captions.referenceImageId))
			.where(
				and(
					eq(captions.status, 'review'),
					opts.subjectId ? eq(referenceImages.subjectId, opts.subjectId) : undefined,
					opts.skip ? ne(captions.referenceImageId, opts.skip) : undefined,
					or(isNull(captions.leaseExpiresAt), lt(captions.leaseExpiresAt, sql`now()`))
				)
			)
			.orderBy(asc(captions.updatedAt), asc(referenceImages.position))
			.limit(1)
			.for('update', { of: captions, skipLocked: true });
		if (!free) return null;
		await tx
			.update(captions)
			.set({
				leaseUserId: userId,
				leaseExpiresAt: sql`now() + ${LEASE_MINUTES} * interval '1 minute'`
			})
			.where(eq(captions.referenceImageId, free.id));
		return free.id;
	});
}

/** Activity on an item (opening it, saving) keeps the holder's lease alive. */
export async function touchLease(db: Db, referenceImageId: string, userId: string): Promise<void> {
	await db
		.update(captions)
		.set({ leaseExpiresAt: sql`now() + ${LEASE_MINUTES} * interval '1 minute'` })
		.where(and(eq(captions.referenceImageId, referenceImageId), eq(captions.leaseUserId, userId)));
}

export async function releaseLease(
	db: Db,
	referenceImageId: string,
	userId: string
): Promise<void> {
	await db
		.update(captions)
		.set({ leaseUserId: null, leaseExpiresAt: null })
		.where(and(eq(captions.referenceImageId, referenceImageId), eq(captions.leaseUserId, userId)));
}

export const editInput = z.object({
	version: z.coerce.number().int().min(0),
	sid: z.string().trim().min(3, 'The SID cannot be empty.').max(1000)
});
export const expressionInput = z.object({
	version: z.coerce.number().int().min(0),
	expression: z.string().trim().max(120)
});
export const approveInput = z.object({
	version: z.coerce.number().int().min(0),
	overrideReason: z.string().trim().max(500).optional().default('')
});
export const rejectInput = z.object({
	version: z.coerce.number().int().min(0),
	reason: z.string().trim().min(3, 'Say why the draft is rejected.').max(500)
});

async function change(
	db: Db,
	referenceImageId: string,
	userId: string,
	expectedVersion: number,
	mine: Record<string, unknown>,
	build: (
		current: Caption,
		subject: { identifier: string; classNoun: string; kind: 'object' | 'live' | 'style' }
	) => Partial<Caption>,
	action: string,
	reason?: string | null
): Promise<Caption> {
	const found = await imageWithSubject(db, referenceImageId);
	if (!found) refuse(404, 'No such reference image.');
	const result = await db.transaction(async (tx) => {
		const current = await getCaption(tx, referenceImageId);
		if (!current || current.version !== expectedVersion) return { conflict: current };
		const saved = await writeCaption(
			tx,
			referenceImageId,
			expectedVersion,
			build(current, found.subject),
			{
				action,
				source: 'person',
				userId,
				reason
			}
		);
		return saved ? { saved } : { conflict: await getCaption(tx, referenceImageId) };
	});
	if ('saved' in result && result.saved) {
		await touchLease(db, referenceImageId, userId);
		return result.saved;
	}
	// Both versions go back to the page, so the annotator can merge them.
	const theirs = result.conflict!;
	const who = await displayName(db, theirs.updatedBy ?? '');
	refuse(
		409,
		`${who} saved this caption while you were editing. Nothing of yours was saved: compare both versions below.`,
		{},
		{ conflict: { mine, theirs: snapshot(theirs) } }
	);
}

/** A corrected SID: flags are recomputed, and an approved caption goes back to review. */
export function editSid(db: Db, id: string, userId: string, input: z.infer<typeof editInput>) {
	return change(
		db,
		id,
		userId,
		input.version,
		{ sid: input.sid },
		(c, s) => ({
			sid: input.sid,
			flags: flagsFor(input.sid, c.expression, s),
			overrideReason: null,
			status: c.status === 'approved' || c.status === 'rejected' ? 'review' : c.status,
			updatedBy: userId
		}),
		'edit'
	);
}

/** D.2: the facial expression is its own kind of edit; the app places it after "[v] [class]". */
export function setExpression(
	db: Db,
	id: string,
	userId: string,
	input: z.infer<typeof expressionInput>
) {
	return change(
		db,
		id,
		userId,
		input.version,
		{ expression: input.expression },
		(c, s) => {
			if (s.kind !== 'live') refuse(400, 'Facial expressions apply to live subjects only.');
			const expression = input.expression || null;
			return {
				expression,
				flags: flagsFor(c.sid, expression, s),
				status: c.status === 'approved' ? 'review' : c.status,
				updatedBy: userId
			};
		},
		'expression'
	);
}

/** Flags block approval unless the annotator overrides them with a reason. */
export async function approve(
	db: Db,
	id: string,
	userId: string,
	input: z.infer<typeof approveInput>
) {
	const approved = await change(
		db,
		id,
		userId,
		input.version,
		{ status: 'approved' },
		(c) => {
			if (!c.sid) refuse(400, 'There is no draft to approve yet.');
			if (c.flags.length && !input.overrideReason) {
				refuse(400, 'Resolve the flags or give a reason to override them.');
			}
			return {
				status: 'approved',
				overrideReason: c.flags.length ? input.overrideReason : null,
				approvedBy: userId,
				approvedAt: sql`now()` as unknown as Date,
				leaseUserId: null,
				leaseExpiresAt: null,
				updatedBy: userId
			};
		},
		approveAction(input.overrideReason),
		input.overrideReason || null
	);
	await recordAudit(db, {
		actorId: userId,
		action: 'caption.approve',
		target: `image:${id}`,
		detail: { version: approved.version, override: input.overrideReason || null }
	});
	return approved;
}

function approveAction(overrideReason: string) {
	return overrideReason ? 'approve-override' : 'approve';
}

export async function reject(
	db: Db,
	id: string,
	userId: string,
	input: z.infer<typeof rejectInput>
) {
	const rejected = await change(
		db,
		id,
		userId,
		input.version,
		{ status: 'rejected', rejectReason: input.reason },
		() => ({
			status: 'rejected',
			rejectReason: input.reason,
			leaseUserId: null,
			leaseExpiresAt: null,
			updatedBy: userId
		}),
		'reject',
		input.reason
	);
	await recordAudit(db, {
		actorId: userId,
		action: 'caption.reject',
		target: `image:${id}`,
		detail: { version: rejected.version, reason: input.reason }
	});
	return rejected;
}

/** The subjects with per-subject progress for the annotator's overview. */
export async function reviewOverview(db: Db) {
	return db
		.select({
			id: subjects.id,
			name: subjects.name,
			classNoun: subjects.classNoun,
			kind: subjects.kind,
			total: sql<number>`count(${referenceImages.id})`.mapWith(Number),
			drafted: sql<number>`count(*) filter (where ${captions.sid} is not null)`.mapWith(Number),
			inReview: sql<number>`count(*) filter (where ${captions.status} = 'review')`.mapWith(Number),
			approved: sql<number>`count(*) filter (where ${captions.status} = 'approved')`.mapWith(
				Number
			),
			flagged:
				sql<number>`count(*) filter (where ${captions.status} = 'review' and jsonb_array_length(${captions.flags}) > 0)`.mapWith(
					Number
				)
		})
		.from(subjects)
		.leftJoin(referenceImages, eq(referenceImages.subjectId, subjects.id))
		.leftJoin(captions, eq(captions.referenceImageId, referenceImages.id))
		.groupBy(subjects.id)
		.orderBy(asc(subjects.name));
}
