import { z } from 'zod';
import type { SubjectKind } from '../db/schema';

/** What a description needs to know about its subject. */
export interface SubjectNaming {
	identifier: string;
	classNoun: string;
	kind: SubjectKind;
}

/** What names the subject inside a caption: "[v] [class]", or just "[v]" inside the style phrase (C.1). */
export function subjectPhrase(s: SubjectNaming): string {
	return s.kind === 'style' ? s.identifier : `${s.identifier} ${s.classNoun}`;
}

/** Case 1 of Tab. 1, built, never generated; one definition, shared with the review page. */
export { baselineCaption } from '../../captions/structure';

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

const describedPart = z.object({
	relation: z.string().trim().max(80),
	name: z.string().trim().min(1, 'Every object needs its class name.').max(80),
	details: z.string().trim().max(400)
});

/** A structure as the demo recording and the review form hand it in. */
export const sidStructure = z.object({
	objects: z.array(describedPart).max(40),
	background: describedPart.nullable(),
	subject: z.string().trim().max(600)
});
