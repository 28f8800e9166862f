import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import {
	captionHistory,
	captions,
	referenceImages,
	subjects,
	type Caption,
	type CaptionFlag
} from '../db/schema';
import { lintCaption } from './lint';
import { withExpression, type SubjectNaming } from './descriptions';
import { composeCases, type SidStructure } from '../../captions/structure';

/** Every reference image of the subject gets a caption row, so progress counts are complete. */
export async function ensureCaptionRows(db: Db | Tx, subjectId: string): Promise<void> {
	const imgs = await db
		.select({ id: referenceImages.id })
		.from(referenceImages)
		.where(eq(referenceImages.subjectId, subjectId));
	if (imgs.length === 0) return;
	await db
		.insert(captions)
		.values(imgs.map((i) => ({ referenceImageId: i.id })))
		.onConflictDoNothing();
}

export async function imageWithSubject(db: Db | Tx, referenceImageId: string) {
	const [row] = await db
		.select({ image: referenceImages, subject: subjects })
		.from(referenceImages)
		.innerJoin(subjects, eq(subjects.id, referenceImages.subjectId))
		.where(eq(referenceImages.id, referenceImageId));
	return row ?? null;
}

export async function getCaption(db: Db | Tx, referenceImageId: string): Promise<Caption | null> {
	const [row] = await db
		.select()
		.from(captions)
		.where(eq(captions.referenceImageId, referenceImageId));
	return row ?? null;
}

/** The fields a person sees and compares in the history and in a conflict. */
export function snapshot(c: Partial<Caption> | null): Record<string, unknown> | null {
	if (!c) return null;
	return {
		status: c.status,
		version: c.version,
		structure: c.structure,
		sid: c.sid,
		caseTwo: c.caseTwo,
		caseFour: c.caseFour,
		expression: c.expression,
		flags: c.flags,
		approvedCases: c.approvedCases,
		overrideReason: c.overrideReason,
		rejectReason: c.rejectReason
	};
}

/** The SID is checked without the expression, which the app itself places after "[v] [class]". */
export function flagsFor(
	sid: string | null,
	expression: string | null,
	s: SubjectNaming
): CaptionFlag[] {
	if (!sid) return [];
	const flags = lintCaption(sid, s);
	if (expression?.trim() && withExpression(sid, expression, s) === null) {
		flags.push({
			code: 'expression-unplaced',
			message: `The expression cannot be placed: the SID does not contain "${s.identifier} ${s.classNoun}".`
		});
	}
	return flags;
}

/**
 * The one way a structure reaches a caption row: cases 2-4 are composed from it in the same
 * write, the SID is checked again, and approvals of cases 2 and 4 no longer hold.
 */
export function structuredChange(
	structure: SidStructure,
	expression: string | null,
	s: SubjectNaming
): Partial<Caption> {
	const cases = composeCases(structure, s);
	return {
		structure,
		caseTwo: cases[2],
		sid: cases[3],
		caseFour: cases[4],
		flags: flagsFor(cases[3], expression, s),
		approvedCases: []
	};
}

/** The caption as training will use it: the text with the expression placed after "[v] [class]". */
export function finalCaption(
	text: string | null,
	expression: string | null,
	s: SubjectNaming
): string | null {
	if (!text) return null;
	return withExpression(text, expression, s) ?? text;
}

export interface HistoryEntry {
	action: string;
	source: 'model' | 'person';
	userId?: string | null;
	model?: string | null;
	reason?: string | null;
}

/**
 * Writes a caption change and its history row in one transaction. `expectedVersion` makes it
 * optimistic: when someone else saved first, nothing is written and null comes back.
 */
export async function writeCaption(
	tx: Tx,
	referenceImageId: string,
	expectedVersion: number | null,
	change: Partial<Caption>,
	entry: HistoryEntry
): Promise<Caption | null> {
	const [before] = await tx
		.select()
		.from(captions)
		.where(eq(captions.referenceImageId, referenceImageId))
		.for('update');
	if (!before) return null;
	if (expectedVersion !== null && before.version !== expectedVersion) return null;
	const [after] = await tx
		.update(captions)
		.set({ ...change, version: sql`${captions.version} + 1`, updatedAt: sql`now()` })
		.where(
			and(eq(captions.referenceImageId, referenceImageId), eq(captions.version, before.version))
		)
		.returning();
	if (!after) return null;
	await tx.insert(captionHistory).values({
		referenceImageId,
		version: after.version,
		action: entry.action,
		source: entry.source,
		userId: entry.userId ?? null,
		model: entry.model ?? null,
		reason: entry.reason ?? null,
		before: snapshot(before),
		after: snapshot(after)
	});
	return after;
}

export async function captionHistoryOf(db: Db, referenceImageId: string) {
	return db
		.select()
		.from(captionHistory)
		.where(eq(captionHistory.referenceImageId, referenceImageId))
		.orderBy(sql`${captionHistory.createdAt} desc, ${captionHistory.version} desc`);
}

export async function captionsOf(db: Db | Tx, imageIds: string[]): Promise<Caption[]> {
	if (imageIds.length === 0) return [];
	return db.select().from(captions).where(inArray(captions.referenceImageId, imageIds));
}
