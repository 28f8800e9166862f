import type { CaptionFlag } from '../db/schema';
import type { SubjectNaming } from './descriptions';

/**
 * The style variant of the selectivity check (Appendix C.1): "A [class] in the style of [v]
 * art." opens the SID, and nothing after it describes the style itself.
 */

const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const STYLE_WORDS =
	/\b(brush ?strokes?|impasto|palette|colou?r palette|watercolou?r|oil painting|impressionis\w*|expressionis\w*|cubis\w*|pointillis\w*|swirl\w*|bold lines?|flat colou?rs?|linework|cel[- ]shad\w*|art style|style of the painting|painterly)\b/i;

function words(s: string): string[] {
	return s.toLowerCase().match(/[a-z0-9'-]+/g) ?? [];
}

export function checkStyle(sid: string, s: SubjectNaming, w: string[], i: number): CaptionFlag[] {
	const flags: CaptionFlag[] = [];
	const phrase = new RegExp(`\\bin the style of ${escape(s.identifier.toLowerCase())} art\\b`);
	if (!phrase.test(sid.toLowerCase())) {
		flags.push({
			code: 'style-phrase',
			message: `Style SIDs start "A ${s.classNoun} in the style of ${s.identifier} art." (Appendix C.1).`
		});
	} else if (i !== 5 + words(s.classNoun).length || w[0] !== 'a') {
		flags.push({ code: 'style-phrase', message: 'The style phrase must open the sentence.' });
	}
	if (STYLE_WORDS.test(sid)) {
		flags.push({
			code: 'style-detail',
			message: 'The SID describes the style itself; describe only what is depicted.'
		});
	}
	return flags;
}
