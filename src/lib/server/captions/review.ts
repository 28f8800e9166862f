import { and, asc, eq, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db';
import { captions, referenceImages, subjects, type Caption } from '../db/schema';
import {
	flagsFor,
	getCaption,
	imageWithSubject,
	snapshot,
	structuredChange,
	writeCaption
} from './store';
import { sidStructure } from './descriptions';
import { identifierFlags, lengthFlags } from './lint';
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
	structure: sidStructure
});
/**
 * The review form sends one row of fields per undesired object (repeated names keep their
 * order, so it works without JavaScript); rows left blank are dropped.
 */
export function editFromForm(form: FormData): unknown {
	const all = (k: string) => form.getAll(k).map((v) => String(v));
	const [relations, names, details] = [all('relation'), all('name'), all('details')];
	const objects = names
		.map((name, i) => ({ relation: relations[i] ?? '', name, details: details[i] ?? '' }))
		.filter((o) => `${o.relation}${o.name}${o.details}`.trim());
	const bg = {
		relation: String(form.get('bgRelation') ?? ''),
		name: String(form.get('bgName') ?? ''),
		details: String(form.get('bgDetails') ?? '')
	};
	return {
		version: form.get('version'),
		structure: {
			objects,
			background: `${bg.name}${bg.details}`.trim() ? bg : null,
			subject: String(form.get('subject') ?? '')
		}
	};
}

export const expressionInput = z.object({
	version: z.coerce.number().int().min(0),
	expression: z.string().trim().max(120)
});
export const approveInput = z.object({
	version: z.coerce.number().int().min(0),
	/** 3 approves the SID (the caption's status); 2 and 4 approve those cases on their own. */
	descriptionCase: z.coerce.number().int().min(2).max(4).default(3),
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

/**
 * A corrected structure: cases 2-4 are composed again from it in the same write, so they never
 * drift apart; flags are recomputed, and every approval goes back to review.
 */
export function editStructure(
	db: Db,
	id: string,
	userId: string,
	input: z.infer<typeof editInput>
) {
	return change(
		db,
		id,
		userId,
		input.version,
		{ structure: input.structure },
		(c, s) => ({
			...structuredChange(input.structure, c.expression, s),
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

/**
 * Case 3 (the SID): flags block approval unless the annotator overrides them with a reason.
 * Cases 2 and 4 are approved on their own, from the same structure; an edit clears them.
 * Every approval is written to the audit trail.
 */
export async function approve(
	db: Db,
	id: string,
	userId: string,
	input: z.infer<typeof approveInput>
) {
	const approved =
		input.descriptionCase === 3
			? await approveSid(db, id, userId, input)
			: await approveCase(db, id, userId, input);
	await recordAudit(db, {
		actorId: userId,
		action: 'caption.approve',
		target: `image:${id}`,
		detail: {
			case: input.descriptionCase,
			version: approved.version,
			override: input.overrideReason || null
		}
	});
	return approved;
}

function approveSid(db: Db, id: string, userId: string, input: z.infer<typeof approveInput>) {
	return change(
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
}

function approveCase(db: Db, id: string, userId: string, input: z.infer<typeof approveInput>) {
	const n = input.descriptionCase;
	return change(
		db,
		id,
		userId,
		input.version,
		{ approvedCases: n },
		(c, s) => {
			const text = n === 2 ? c.caseTwo : c.caseFour;
			const problems = text ? [...identifierFlags(text, s.identifier), ...lengthFlags(text)] : [];
			if (problems.length && !input.overrideReason) {
				refuse(
					400,
					`${problems.map((p) => p.message).join(' ')} Fix the structure or give a reason to approve anyway.`
				);
			}
			if (!c.structure) {
				refuse(
					400,
					`Case ${n} is composed from the structure, and this draft has none yet: ask the VLM again.`
				);
			}
			return {
				approvedCases: [...new Set([...c.approvedCases, n])].sort(),
				updatedBy: userId
			};
		},
		`approve-case-${n}`,
		input.overrideReason || null
	);
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
