import type { CaptionFlag } from '../db/schema';
import type { SubjectNaming } from './descriptions';
import { checkSelectivity } from './selectivity';
import { identifierPieces, tokenBudget } from './clip-tokenizer';

/**
 * Problems with [v] itself. An identifier CLIP splits into several pieces is not one rare token;
 * one that occurs inside another word ("sks" in "desks") makes a trainer that adds it as a new
 * token read [v] inside that word, so the word leaks into the subject's embedding.
 */
export function identifierFlags(caption: string, identifier: string): CaptionFlag[] {
	const flags: CaptionFlag[] = [];
	const pieces = identifierPieces(identifier);
	if (pieces.length > 1) {
		flags.push({
			code: 'identifier-split',
			message: `CLIP splits the identifier "${identifier}" into ${pieces.map((p) => `"${p}"`).join(' + ')}; choose one that is a single token.`
		});
	}
	const id = identifier.toLowerCase();
	const inside = new Set(
		(caption.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w !== id && w.includes(id))
	);
	for (const word of inside) {
		flags.push({
			code: 'identifier-inside-word',
			message: `"${word}" contains the identifier "${identifier}"; a trainer would read [v] inside it. Use another word.`
		});
	}
	return flags;
}

/** Over CLIP's 77 tokens: training never sees the end of the caption. */
export function lengthFlags(caption: string): CaptionFlag[] {
	const b = tokenBudget(caption);
	if (!b.over) return [];
	return [
		{
			code: 'too-long',
			message: `${b.count} CLIP tokens, over 77: training cuts “${b.cut}”.`
		}
	];
}

/** Every check of one caption: what the review page flags and what `npm run sid:lint` prints. */
export function lintCaption(caption: string, s: SubjectNaming): CaptionFlag[] {
	return [
		...checkSelectivity(caption, s),
		...identifierFlags(caption, s.identifier),
		...lengthFlags(caption)
	];
}
