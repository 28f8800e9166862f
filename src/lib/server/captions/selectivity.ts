import type { CaptionFlag } from '../db/schema';
import type { SubjectNaming } from './descriptions';

/**
 * The selectivity check of a SID (Tab. 1, case 3): the subject may be named only by
 * "[v] [class]". Anything attached to the subject (adjectives, body parts, "that is ...")
 * pulls detail out of [v] (case 4), and a missing or repeated identifier breaks the binding.
 * It is a word-level heuristic, so annotators can override a flag with a reason.
 */

const DETERMINERS = new Set([
	'a',
	'an',
	'the',
	'this',
	'that',
	'one',
	'my',
	'our',
	'your',
	'his',
	'her',
	'its'
]);

/** Parts and traits of a subject (animals, toys, objects): "with brown fur" describes the subject. */
const SUBJECT_PARTS = [
	'fur',
	'coat',
	'hair',
	'ears?',
	'eyes?',
	'nose',
	'snout',
	'muzzle',
	'tail',
	'paws?',
	'legs?',
	'whiskers',
	'spots',
	'stripes',
	'markings',
	'patches',
	'face',
	'head',
	'body',
	'mane',
	'teeth',
	'tongue',
	'color',
	'colour',
	'texture',
	'pattern',
	'shape',
	'finish',
	'surface',
	'handle',
	'lid',
	'wheels',
	'laces',
	'soles?',
	'straps?',
	'zippers?',
	'pockets?',
	'frames?',
	'lenses'
].join('|');

const STYLE_WORDS =
	/\b(brush ?strokes?|impasto|palette|colou?r palette|watercolou?r|oil painting|impressionis\w*|expressionis\w*|cubis\w*|pointillis\w*|swirl\w*|bold lines?|flat colou?rs?|linework|cel[- ]shad\w*|art style|style of the painting|painterly)\b/i;

const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function words(s: string): string[] {
	return s.toLowerCase().match(/[a-z0-9'-]+/g) ?? [];
}

export function checkSelectivity(sid: string, s: SubjectNaming): CaptionFlag[] {
	const flags: CaptionFlag[] = [];
	const id = s.identifier.toLowerCase();
	const w = words(sid);
	const idAt = w.flatMap((x, i) => (x === id || x === `${id}'s` ? [i] : []));
	if (idAt.length === 0) {
		return [
			{ code: 'identifier-missing', message: `The identifier "${s.identifier}" is missing.` }
		];
	}
	if (idAt.length > 1) {
		flags.push({
			code: 'identifier-repeated',
			message: `The identifier "${s.identifier}" appears ${idAt.length} times; name the subject once.`
		});
	}
	const i = idAt[0];
	const before = w[i - 1];
	if (s.kind === 'style') return flags.concat(checkStyle(sid, s, w, i));

	// Adjectives in front of the identifier: "a fluffy sks dog".
	if (
		i > 0 &&
		!DETERMINERS.has(before) &&
		!/^(of|with|and|by|to|on|in|beside|near)$/.test(before)
	) {
		flags.push({
			code: 'subject-detail',
			message: `"${before}" describes the subject; keep only "${s.identifier} ${s.classNoun}".`
		});
	}
	const cls = words(s.classNoun);
	const next = w.slice(i + 1, i + 1 + cls.length).map((x) => x.replace(/'s$/, ''));
	if (next.join(' ') !== cls.join(' ')) {
		const found = w.indexOf(cls[cls.length - 1], i + 1);
		flags.push(
			found > i && found - i <= 5
				? {
						code: 'subject-detail',
						message: `"${w.slice(i + 1, found).join(' ')}" sits between the identifier and the class; it describes the subject.`
					}
				: {
						code: 'class-missing',
						message: `"${s.identifier}" is not followed by the class "${s.classNoun}".`
					}
		);
	}
	const tail = sid.toLowerCase();
	const subj = `${escape(id)}\\s+${escape(s.classNoun.toLowerCase())}`;
	const attached: [RegExp, string][] = [
		[
			new RegExp(`${subj}'s\\b`),
			'a possessive of the subject ("its ears", "the dog\'s fur") describes the subject'
		],
		[
			new RegExp(`${subj}\\s*,?\\s+(?:which|that|who|whose)\\s+(?:is|has|have|looks?|appears?)\\b`),
			'a clause about the subject ("that is ...", "which has ...")'
		],
		[
			new RegExp(
				`${subj}\\s*,?\\s+(?:with|having|has)\\s+(?:[a-z-]+\\s+){0,4}(?:${SUBJECT_PARTS})\\b`
			),
			'a part or trait of the subject ("with brown fur")'
		],
		[
			new RegExp(
				`${subj}\\s*,\\s*(?:a|an|the)\\s+(?:[a-z-]+\\s+){0,3}${escape(s.classNoun.toLowerCase())}\\b`
			),
			'an apposition describing the subject'
		],
		[
			new RegExp(`\\b(?:its|his|her)\\s+(?:[a-z-]+\\s+){0,3}(?:${SUBJECT_PARTS})\\b`),
			'a part of the subject ("its fluffy tail")'
		]
	];
	for (const [re, what] of attached) {
		if (re.test(tail)) flags.push({ code: 'subject-detail', message: `The SID has ${what}.` });
	}
	// The class noun named again later, usually with details: "... the brown dog looks up".
	const clsWord = cls[cls.length - 1];
	const later = w.slice(i + cls.length + 1).indexOf(clsWord);
	if (later >= 0) {
		flags.push({
			code: 'subject-repeated',
			message: `The class "${s.classNoun}" is named again; the subject should be named only once, as "${s.identifier} ${s.classNoun}".`
		});
	}
	return dedupe(flags);
}

function checkStyle(sid: string, s: SubjectNaming, w: string[], i: number): CaptionFlag[] {
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

function dedupe(flags: CaptionFlag[]): CaptionFlag[] {
	const seen = new Set<string>();
	return flags.filter((f) => !seen.has(f.message) && (seen.add(f.message), true));
}
