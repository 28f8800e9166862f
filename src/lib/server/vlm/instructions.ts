import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { vlmInstructions, type VlmInstruction, type VlmPurpose } from '../db/schema';

/**
 * The shipped first versions. The SID text follows the paper's idea (Sec. 3.1-3.2): describe
 * every undesired object in detail, name the subject only by a placeholder; the style text
 * is the C.1 variant; the expression text serves D.2.
 */
export const DEFAULT_INSTRUCTIONS: Record<VlmPurpose, string> = {
	sid: [
		'You write training descriptions of a reference image for subject personalization.',
		'The subject of interest is a {class}. Never describe the subject itself: no colour, material, breed, size, shape, texture or parts of it.',
		'Write {subject} (exactly once, literally) where the subject belongs, e.g. "a {subject} sitting on a blue velvet sofa next to a red striped cushion".',
		'Describe every other object and the background informatively (colour, material, pattern, position).',
		'Return JSON: "sid" (one sentence as above), "objects_only" (the same sentence naming the other objects by their class only, no details),',
		'"full" (one sentence that also describes the subject in detail, still with {subject} once), and "undesired_objects" (each other object: name and details).'
	].join(' '),
	style: [
		'Describe the image in one sentence in detail. Please start the sentence with "A {class} in the style of {subject} art." and write {subject} literally.',
		'You should not describe the style of the {class} itself.',
		'Return JSON: "sid" (that sentence), "objects_only" (the same opening, then the depicted objects by class only),',
		'"full" (the same opening, then everything including the style), and "undesired_objects" (each depicted object: name and details).'
	].join(' '),
	expression: [
		'The image shows a {class}. Describe its facial expression as a short phrase that can follow the words "a {class}",',
		'e.g. "with its tongue out" or "with a wide-open mouth". Return JSON: "expression" (the phrase, or an empty string when the face shows no clear expression).'
	].join(' ')
};

/** The newest version of an instruction, creating version 1 from the default when none exists. */
export async function currentInstruction(db: Db, purpose: VlmPurpose): Promise<VlmInstruction> {
	const [row] = await db
		.select()
		.from(vlmInstructions)
		.where(eq(vlmInstructions.purpose, purpose))
		.orderBy(desc(vlmInstructions.version))
		.limit(1);
	if (row) return row;
	await db
		.insert(vlmInstructions)
		.values({ purpose, version: 1, text: DEFAULT_INSTRUCTIONS[purpose] })
		.onConflictDoNothing();
	const [created] = await db
		.select()
		.from(vlmInstructions)
		.where(and(eq(vlmInstructions.purpose, purpose), eq(vlmInstructions.version, 1)));
	return created;
}

/** An edit never changes a version that drafts point at: it adds the next one. */
export async function saveInstruction(
	db: Db,
	purpose: VlmPurpose,
	text: string,
	userId: string | null
): Promise<VlmInstruction> {
	const current = await currentInstruction(db, purpose);
	if (current.text === text) return current;
	const [row] = await db
		.insert(vlmInstructions)
		.values({ purpose, version: current.version + 1, text, createdBy: userId })
		.returning();
	return row;
}

export async function instructionVersions(db: Db, purpose: VlmPurpose) {
	return db
		.select()
		.from(vlmInstructions)
		.where(eq(vlmInstructions.purpose, purpose))
		.orderBy(desc(vlmInstructions.version));
}

export function fillInstruction(text: string, classNoun: string): string {
	return text.replaceAll('{class}', classNoun);
}
