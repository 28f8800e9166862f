import { freezePreregistration } from './preregistration';
import { ensureSlots, resetSlots } from './slots';
import { asc, count, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { refuse } from '../http/refusal';
import type { Db } from '../db';
import {
	assignments,
	choice,
	items,
	methods,
	participants,
	responses,
	studies,
	studyMethods,
	studyState,
	type Study
} from '../db/schema';
import { queueWarmImages } from './warm-images';

export const slugSchema = z
	.string()
	.trim()
	.toLowerCase()
	.regex(/^[a-z0-9][a-z0-9-]{1,47}$/, 'The link name uses 2-48 letters, digits and dashes.');

export const createStudyInput = z.object({
	title: z.string().trim().min(1, 'Give the study a title.').max(200),
	slug: slugSchema
});

const optionalInt = z.preprocess(
	(v) => (v === '' || v === null || v === undefined ? null : v),
	z.coerce.number().int().min(1).max(1_000_000).nullable()
);

export const studySettingsInput = z.object({
	title: z.string().trim().min(1, 'Give the study a title.').max(200),
	instructions: z.string().max(20_000),
	consent: z.string().max(20_000),
	subjectsPerParticipant: z.coerce.number().int().min(1).max(200),
	targetCompletions: optionalInt,
	completionCode: z.string().trim().max(100),
	redirectUrl: z.preprocess(
		(v) => (v === '' ? null : v),
		z
			.string()
			.trim()
			.regex(/^https?:\/\//, 'The redirect URL starts with http:// or https://.')
			.max(2000)
			.nullable()
	),
	speederMsPerQuestion: z.coerce.number().int().min(0).max(600_000),
	attentionCheck: z.preprocess((v) => v === 'on' || v === true, z.boolean()),
	attentionChecks: z.coerce.number().int().min(1).max(20).default(2),
	attentionAnswer: z.enum(choice.enumValues),
	unprovenResume: z.enum(['ask-code', 'refuse']).default('ask-code'),
	questions: z
		.array(
			z.object({
				key: z.string().regex(/^[a-z0-9_-]{1,40}$/),
				text: z.string().trim().min(1).max(500)
			})
		)
		.min(1)
		.max(10)
});
export type StudySettings = z.infer<typeof studySettingsInput>;

export async function createStudy(
	db: Db,
	input: z.infer<typeof createStudyInput> & Partial<StudySettings> & { standInImages?: boolean }
): Promise<Study> {
	const [row] = await db.insert(studies).values(input).returning();
	return row;
}

export async function getStudy(db: Db, id: string): Promise<Study | null> {
	const [row] = await db.select().from(studies).where(eq(studies.id, id));
	return row ?? null;
}

export async function getStudyBySlug(db: Db, slug: string): Promise<Study | null> {
	const [row] = await db.select().from(studies).where(eq(studies.slug, slug));
	return row ?? null;
}

export async function listStudies(db: Db) {
	const rows = await db.select().from(studies).orderBy(asc(studies.createdAt));
	const counts = await db
		.select({ studyId: items.studyId, n: count() })
		.from(items)
		.groupBy(items.studyId);
	const byStudy = new Map(counts.map((c) => [c.studyId, c.n]));
	return rows.map((s) => ({ ...s, items: byStudy.get(s.id) ?? 0 }));
}

export async function updateStudySettings(db: Db, id: string, s: StudySettings): Promise<void> {
	await db.update(studies).set(s).where(eq(studies.id, id));
	// The free slots were planned for the old number of subjects per participant.
	await resetSlots(db, id);
}

export async function setStudyState(
	db: Db,
	id: string,
	state: (typeof studyState.enumValues)[number]
): Promise<void> {
	await db.update(studies).set({ state }).where(eq(studies.id, id));
	if (state === 'open') {
		const study = await getStudy(db, id);
		if (study) await freezePreregistration(db, study);
		// Plan the first slots now rather than in the first arrival of a burst.
		if (study) await ensureSlots(db, id, study.subjectsPerParticipant);
		// And make the image sizes the survey shows, for the same reason.
		await queueWarmImages(db, id);
	}
}

/** Items (and the compared methods) are frozen once any real participant has answered. */
export async function hasResponses(db: Db, studyId: string): Promise<boolean> {
	const [row] = await db
		.select({ n: count() })
		.from(responses)
		.innerJoin(assignments, eq(assignments.id, responses.assignmentId))
		.innerJoin(participants, eq(participants.id, assignments.participantId))
		.where(eq(participants.studyId, studyId));
	return row.n > 0;
}

export async function studyMethodList(db: Db, studyId: string) {
	return db
		.select({ id: methods.id, name: methods.name, position: studyMethods.position })
		.from(studyMethods)
		.innerJoin(methods, eq(methods.id, studyMethods.methodId))
		.where(eq(studyMethods.studyId, studyId))
		.orderBy(asc(studyMethods.position));
}

/**
 * Sets the compared methods by name, creating methods that do not exist yet. Changing them
 * removes the study's items (rebuild them afterwards); refused once anyone has answered.
 */
/**
 * A method that a study or an import only names has no recipe a GPU worker could train: it
 * is marked as images made elsewhere, so it stays out of the generation picker instead of
 * silently training DreamBooth on case-1 captions under its name. Naming one of the default
 * recipes still gets that recipe (`ensureDefaultMethods`).
 */
export const NAMED_TRAINER = 'import';

export async function setStudyMethods(db: Db, studyId: string, names: string[]): Promise<void> {
	if (await hasResponses(db, studyId)) {
		refuse(409, 'Participants have answered: the compared methods can no longer change.');
	}
	const current = (await studyMethodList(db, studyId)).map((m) => m.name);
	if (current.join('\n') === names.join('\n')) return;
	await db.transaction(async (tx) => {
		for (const name of names)
			await tx.insert(methods).values({ name, trainer: NAMED_TRAINER }).onConflictDoNothing();
		const rows = await tx.select().from(methods).where(inArray(methods.name, names));
		const byName = new Map(rows.map((r) => [r.name, r.id]));
		// Items compare the old methods: drop them, and the (answerless) participants assigned to them.
		await tx.delete(participants).where(eq(participants.studyId, studyId));
		await resetSlots(tx, studyId);
		await tx.delete(items).where(eq(items.studyId, studyId));
		await tx.delete(studyMethods).where(eq(studyMethods.studyId, studyId));
		await tx
			.insert(studyMethods)
			.values(names.map((n, position) => ({ studyId, methodId: byName.get(n)!, position })));
	});
}

/** The prompt as participants see it: without the identifier token ("a sks dog" → "a dog"). */
export function displayPrompt(prompt: string, identifier: string): string {
	const esc = identifier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return prompt
		.replace(new RegExp(`\\b${esc}\\b`, 'gi'), '')
		.replace(/\s+/g, ' ')
		.trim();
}
