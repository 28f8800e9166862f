import type { SubjectKind } from '../db/schema';

/** What a description needs to know about its subject. */
export interface SubjectNaming {
	identifier: string;
	classNoun: string;
	kind: SubjectKind;
}

/** The placeholder the VLM writes where the subject goes; the identifier is inserted by code. */
export const SUBJECT_PLACEHOLDER = '{subject}';

/** What replaces the placeholder: "[v] [class]", or just "[v]" inside the style phrase (C.1). */
export function subjectPhrase(s: SubjectNaming): string {
	return s.kind === 'style' ? s.identifier : `${s.identifier} ${s.classNoun}`;
}

/**
 * Case 1 of Tab. 1, built, never generated: "a [v] [class]", or for style subjects the
 * phrase of Appendix C.1 with the class noun ("painting" or "cartoon") as the medium.
 */
export function baselineCaption(s: SubjectNaming): string {
	if (s.kind === 'style') return `A ${s.classNoun} in the style of ${s.identifier} art.`;
	return `a ${s.identifier} ${s.classNoun}`;
}

/**
 * Puts the subject phrase where the model wrote the placeholder. Any identifier token the model
 * wrote itself is left for the selectivity check to flag: the model is never trusted with it.
 */
export function insertIdentifier(sentence: string, s: SubjectNaming): string {
	return sentence.split(SUBJECT_PLACEHOLDER).join(subjectPhrase(s)).replace(/\s+/g, ' ').trim();
}

const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Finds "[v] [class]" (or "[v]" for style) as whole words; -1 when absent. */
export function subjectPhraseEnd(sentence: string, s: SubjectNaming): number {
	const m = new RegExp(`\\b${escape(subjectPhrase(s))}\\b`, 'i').exec(sentence);
	return m ? m.index + m[0].length : -1;
}

/**
 * D.2: the facial expression is its own tracked edit, placed right after "[v] [class]" so the
 * annotator never has to touch the SID itself. Returns null when the subject phrase is missing.
 */
export function withExpression(
	sentence: string,
	expression: string | null | undefined,
	s: SubjectNaming
): string | null {
	const expr = expression?.trim();
	if (!expr) return sentence;
	const end = subjectPhraseEnd(sentence, s);
	if (end < 0) return null;
	return `${sentence.slice(0, end)} ${expr}${sentence.slice(end)}`.replace(/\s+/g, ' ');
}
