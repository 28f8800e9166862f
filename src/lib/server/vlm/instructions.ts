import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { vlmInstructions, type VlmInstruction, type VlmPurpose } from '../db/schema';

const PARTS = (others: string, subjectPart: string) =>
	[
		'Reply in JSON with the sentence split into its parts:',
		`"undesired_objects": ${others}, each with "relation" (the words linking it to the {class}, e.g. "sitting on", "next to"),`,
		'"class_name" (its class name with an article and no details, e.g. "a sofa") and "details" (a noun phrase describing it in detail, e.g. "a blue velvet sofa with brass legs");',
		'"background": the same three fields for the background (empty strings when there is none);',
		`"subject_description": kept apart from the sentence, ${subjectPart}.`
	].join(' ');

/**
 * The shipped presets (each is versioned data once stored). "paper" is the default for object
 * and live subjects: the paper's object instruction, which Appendix C.1 calls the base of its
 * "slight modification" for style; "style" is C.1 word for word with [v] and the medium filled
 * in; "sid" is the earlier detailed instruction, kept for comparison. Every SID preset ends
 * with the request for the structure the four description cases are composed from.
 */
export const DEFAULT_INSTRUCTIONS: Record<VlmPurpose, string> = {
	paper: [
		'Describe the image in one sentence in detail. Please start the sentence with "A {identifier} {class}". You should not describe the {class} itself.',
		PARTS(
			'every object in the image other than the {class}',
			'a phrase that describes the {class} itself (colour, material, breed, parts) and could follow "A {identifier} {class}", e.g. "with fluffy golden fur"'
		)
	].join('\n'),
	style: [
		'Describe the image in one sentence in detail. Please start the sentence with "A {class} in the style of {identifier} art.". You should not describe the style of the {class} itself.',
		PARTS(
			'every object the {class} depicts',
			'a phrase that describes the style of the {class} itself, e.g. "with thick swirling brushstrokes"'
		)
	].join('\n'),
	sid: [
		'You write training descriptions of a reference image for subject personalization.',
		'The subject of interest is a {class}. Never describe the subject itself: no colour, material, breed, size, shape, texture or parts of it.',
		'Describe every other object and the background informatively (colour, material, pattern, position).',
		PARTS(
			'every object in the image other than the {class}',
			'a phrase that describes the {class} itself in detail and could follow "a {identifier} {class}"'
		)
	].join('\n'),
	selectivity: [
		'This training description of the image is meant to name the {class} only as "{identifier} {class}" and to describe everything else:',
		'"{caption}"',
		'Does this sentence describe the appearance of the {class} itself (its colour, material, pattern, breed, size or parts)?',
		'Return JSON: "describes_subject" (true or false) and "words" (the words that describe the {class} itself, or an empty string).'
	].join('\n'),
	expression: [
		'The image shows a {class}. Describe its facial expression as a short phrase that can follow the words "a {class}",',
		'e.g. "with its tongue out" or "with a wide-open mouth". Return JSON: "expression" (the phrase, or an empty string when the face shows no clear expression).'
	].join(' ')
};

/** Names shown wherever a preset is chosen or a draft says where it came from. */
export const PRESET_TITLES: Record<VlmPurpose, string> = {
	paper: 'Paper (Appendix C)',
	style: 'Paper style variant (Appendix C.1)',
	sid: 'Detailed (earlier default)',
	expression: 'Facial expression (Appendix D.2)',
	selectivity: 'Second selectivity check (optional)'
};

/** The SID presets an admin can draft object and live subjects with; style subjects use C.1. */
export const OBJECT_PRESETS = ['paper', 'sid'] as const;
export type ObjectPreset = (typeof OBJECT_PRESETS)[number];

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

/** The exact text sent: the class noun and the identifier filled in, as the paper writes [v]. */
export function fillInstruction(
	text: string,
	s: { classNoun: string; identifier: string }
): string {
	return text.replaceAll('{class}', s.classNoun).replaceAll('{identifier}', s.identifier);
}
