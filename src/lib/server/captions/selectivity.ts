import type { CaptionFlag } from '../db/schema';
import type { SubjectNaming } from './descriptions';
import { checkStyle } from './selectivity-style';
import { holdsContents, subjectWords } from './subject-words';
import {
	APPEARANCE,
	DESCRIPTIVE,
	ENCLOSURE,
	LOOK,
	MATERIAL,
	PART,
	RELATION
} from './selectivity-words';

/**
 * The selectivity check of a SID (Tab. 1, case 3), deterministic rules only. A SID opens with
 * "a [v] [class]" and never describes the subject: no colour, material, pattern, breed, size or
 * part words attached to it or to a word that refers back to it ("it", "its", "the dog", "the
 * corgi"), and no appositive after it. Precision and recall on a hand-labelled set are measured
 * in bench/sid-selectivity.ts (figures in docs/SID.md); annotators can override a flag with a
 * reason, and an optional second VLM pass (vlm/selectivity-pass.ts) records its own verdict.
 */

interface Word {
	w: string;
	start: number;
	/** A comma, semicolon or period right after the word. */
	stop: string;
}

function tokenize(s: string): Word[] {
	return [...s.matchAll(/([A-Za-z0-9][A-Za-z0-9'’-]*)([,;:.]?)/g)].map((m) => ({
		w: m[1].toLowerCase().replace(/’/g, "'"),
		start: m.index!,
		stop: m[2]
	}));
}

const detail = (message: string): CaptionFlag => ({ code: 'subject-detail', message });

export function checkSelectivity(sid: string, s: SubjectNaming): CaptionFlag[] {
	const flags: CaptionFlag[] = [];
	const id = s.identifier.toLowerCase();
	const words = tokenize(sid);
	const w = words.map((x) => x.w.replace(/'s$/, ''));
	const idAt = w.flatMap((x, i) => (x === id ? [i] : []));
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
	if (s.kind === 'style') return flags.concat(checkStyle(sid, s, w, idAt[0]));
	const cls = s.classNoun.toLowerCase().split(/\s+/);
	const i = idAt[0];
	const afterClass = i + 1 + cls.length;
	const classFollows = w.slice(i + 1, afterClass).join(' ') === cls.join(' ');

	// 1. The opening: exactly "a [v] [class]".
	if (i > 1 || (i === 1 && !/^(a|an)$/.test(w[0]))) {
		const extra = w.slice(/^(a|an|the)$/.test(w[0]) ? 1 : 0, i).join(' ');
		flags.push(
			detail(
				`"${extra}" before the identifier describes the subject; start with "a ${s.identifier} ${s.classNoun}".`
			)
		);
	} else if (i === 0) {
		flags.push({
			code: 'opening',
			message: `Start the sentence with "a ${s.identifier} ${s.classNoun}".`
		});
	}
	if (!classFollows) {
		const found = w.indexOf(cls[cls.length - 1], i + 1);
		flags.push(
			found > i && found - i <= 5
				? detail(
						`"${w.slice(i + 1, found).join(' ')}" sits between the identifier and the class; it describes the subject.`
					)
				: {
						code: 'class-missing',
						message: `"${s.identifier}" is not followed by the class "${s.classNoun}".`
					}
		);
		return dedupe(flags);
	}
	flags.push(...attachedToSubject(words, w, afterClass, s));
	flags.push(...referencesBack(words, w, afterClass, s));
	return dedupe(flags);
}

/** What comes right after "[v] [class]": only where the subject is, never what it is like. */
function attachedToSubject(
	words: Word[],
	w: string[],
	at: number,
	s: SubjectNaming
): CaptionFlag[] {
	const flags: CaptionFlag[] = [];
	if (at >= w.length) return flags;
	const subjectStop = words[at - 1].stop;
	const next = w[at];
	const phrase = (n: number) => w.slice(at, at + n).join(' ');
	// "printed on a poster", "worn by a hiker": where it is, not what it looks like.
	const placedOn =
		APPEARANCE.test(next) && /^(on|onto|at|across|inside|by|over|around)$/.test(w[at + 1] ?? '');
	if (subjectStop === ',' || subjectStop === ';') {
		// "a sks dog, a golden retriever, ..." / "a sks backpack, bright red, ...".
		if (!RELATION.test(next) || next === 'and') {
			flags.push(detail(`"${phrase(4)} ..." after the subject is an appositive describing it.`));
		}
	} else if (placedOn) {
		// "printed on a poster": where it is, not what it looks like.
	} else if (APPEARANCE.test(next)) {
		flags.push(detail(`"${phrase(4)} ..." describes the subject's appearance.`));
	} else if (/^(that|which|who|whose)$/.test(next)) {
		const verb = w[at + 1] ?? '';
		const where = RELATION.test(w[at + 2] ?? '') && /^(is|sits|lies|stands|rests)$/.test(verb);
		if (!where) flags.push(detail(`"${phrase(4)} ..." is a clause describing the subject.`));
	} else if (next === 'of' && (w[at + 2] === 'breed' || w.slice(at, at + 5).includes('breed'))) {
		flags.push(detail(`"${phrase(4)}" names the subject's breed.`));
	} else if (next === 'of' && !contentsOf(w, at + 1, s)) {
		// "a sks cartoon of a red creature", "a sks toy of a duck", "a sks candle of beeswax":
		// right after the subject, "of" says what it depicts or is made of (Sec. 4: the [class]
		// itself), never where it is ("in front of" starts with another word).
		flags.push(detail(`"${phrase(4)} ..." says what the subject is, depicts or is made of.`));
	} else if (next === 'of') {
		// A holder's contents, then a part of the holder: "a sks can of soup with a torn label".
		const w2 = w.indexOf('with', at + 2);
		const part = w2 > 0 && w2 <= at + 5 ? partWithin(w, w2 + 1, 6) : null;
		if (part) flags.push(detail(`"of ... with ... ${part}" describes a part of the subject.`));
	} else if (next === 'in' && DESCRIPTIVE.test(w[at + 1] ?? '')) {
		flags.push(detail(`"${phrase(3)} ..." gives the subject's colour or material.`));
	} else if (next === 'in' && bareMaterial(w, at + 1)) {
		// "in tall black patent leather": no article, so what it is made of, not a place.
		flags.push(detail(`"${phrase(4)} ..." gives the subject's material.`));
	} else if (next === 'in' && w.slice(at + 1, at + 3).some((x) => LOOK.test(x))) {
		flags.push(detail(`"${phrase(4)} ..." gives the subject's shape or colour.`));
	} else if (next === 'in' && s.kind !== 'live') {
		const enclosure = enclosureDetail(w, at + 1);
		if (enclosure) flags.push(detail(`"in ... ${enclosure}" describes what the subject comes in.`));
	} else if (!RELATION.test(next) && !/^[,;.]/.test(next)) {
		flags.push(
			detail(`"${next}" right after "${s.identifier} ${s.classNoun}" describes the subject.`)
		);
	}
	// "wagging a bushy tail", "showing off a white belly": an action that shows a part of it.
	if (/ing$/.test(next) && subjectStop !== ',') {
		// Its object only: "lying on the back of a sofa" is a place, stopped at the first "on".
		const part = partWithin(w, at + 1, 5, /^(off|up|out)$/, true);
		if (part) flags.push(detail(`"${next} ... ${part}" describes a part of the subject.`));
	}
	// ", dented on one side", ", drawn with thick outlines": a past participle of appearance after
	// a comma modifies the subject of the sentence (", looking out a window" is an action).
	for (let k = at + 1; k < w.length; k++) {
		const participle = APPEARANCE.test(w[k]) && !/ing$/.test(w[k]);
		if (words[k - 1].stop === ',' && participle && !placedAt(w, k)) {
			flags.push(detail(`", ${w.slice(k, k + 4).join(' ')} ..." describes the subject.`));
		}
	}
	// ", a small white poodle mix with curly hair": a later appositive that names the subject again.
	const names = subjectWords(s.classNoun);
	for (let k = at + 1; k < w.length; k++) {
		if (words[k - 1].stop !== ',' || !/^(a|an)$/.test(w[k])) continue;
		for (let n = 1; n <= 5 && k + n < w.length; n++) {
			if (RELATION.test(w[k + n]) && !DESCRIPTIVE.test(w[k + n])) break;
			if (names.has(w[k + n])) {
				flags.push(
					detail(`"${w.slice(k, k + n + 1).join(' ')}" is an appositive describing the subject.`)
				);
				break;
			}
		}
	}
	// "with floppy ears", ", with a muscular build": a part of the subject itself.
	for (let k = at; k < w.length; k++) {
		const attached = k === at || words[k - 1].stop === ',';
		if (w[k] !== 'with' || !attached) continue;
		const part = partWithin(w, k + 1, 7);
		if (part) flags.push(detail(`"with ... ${part}" describes a part of the subject.`));
	}
	return flags;
}

/**
 * "a sks bowl of blueberries": what a holder holds is another object, as in "filled with";
 * unless the words after "of" are its material ("a sks vase of amber glass").
 */
function contentsOf(w: string[], from: number, s: SubjectNaming): boolean {
	if (!holdsContents(s.classNoun)) return false;
	const np = w.slice(from, from + 4);
	const end = np.findIndex((x, j) => j > 0 && RELATION.test(x));
	return !np.slice(0, end < 0 ? np.length : end).some((x) => MATERIAL.test(x));
}

/**
 * "in a glass jar with a round wooden lid": an enclosure noun within four words whose own detail
 * (a colour or material before it, or "with ..." after it) is the subject's appearance. Returns
 * the words that describe it, or null for a bare "in a jar" or a place ("in a cardboard box").
 */
function enclosureDetail(w: string[], from: number): string | null {
	for (let k = from; k < Math.min(w.length, from + 4); k++) {
		if (!ENCLOSURE.test(w[k])) {
			if (k > from && RELATION.test(w[k]) && !DESCRIPTIVE.test(w[k])) return null;
			continue;
		}
		const before = w.slice(from, k).filter((x) => DESCRIPTIVE.test(x));
		if (before.length) return `${before.join(' ')} ${w[k]}`;
		if (w[k + 1] === 'with') return `${w[k]} with ${w.slice(k + 2, k + 5).join(' ')}`;
		return null;
	}
	return null;
}

/** The first part noun within n words, stopping at the next relation word (another object). */
function partWithin(
	w: string[],
	from: number,
	n: number,
	skip?: RegExp,
	objectOnly = false
): string | null {
	for (let k = from; k < Math.min(w.length, from + n); k++) {
		if (PART.test(w[k])) return w[k];
		if (skip?.test(w[k])) continue;
		if (
			(k > from || objectOnly) &&
			/^(on|in|at|by|beside|next|near|under|behind|against|among|between|while|across|through|into|onto|from|to)$/.test(
				w[k]
			)
		)
			return null;
	}
	return null;
}

/** "worn by", "painted on": a participle saying where something is. */
const placedAt = (w: string[], k: number) =>
	/^(on|onto|at|across|inside|by|over|around)$/.test(w[k + 1] ?? '');

/** "in glazed blue stoneware": "in" and, with no article, a material within four words. */
function bareMaterial(w: string[], from: number): boolean {
	if (/^(a|an|the|this|that|its|his|her|their|front|one|two|some)$/.test(w[from] ?? ''))
		return false;
	for (let k = from; k < Math.min(w.length, from + 4); k++) {
		if (MATERIAL.test(w[k])) return true;
		if (RELATION.test(w[k]) && !DESCRIPTIVE.test(w[k])) return false;
	}
	return false;
}

/** Words that point back at the subject later: "its fur", "it has", "the dog is", "the corgi's". */
function referencesBack(words: Word[], w: string[], from: number, s: SubjectNaming): CaptionFlag[] {
	const flags: CaptionFlag[] = [];
	const names = subjectWords(s.classNoun);
	for (let k = from; k < w.length; k++) {
		const x = w[k];
		// "a teapot with its lid": after "with" that follows another noun, "its" is that noun's.
		const othersWith = w[k - 1] === 'with' && k - 1 > from && words[k - 2].stop === '';
		if (/^(its|their)$/.test(x) && !othersWith) {
			const look = w.slice(k + 1, k + 4);
			const hit = look.find((y) => PART.test(y) || DESCRIPTIVE.test(y));
			if (hit) flags.push(detail(`"${x} ${look.join(' ')}" describes the subject.`));
		} else if (
			x === 'it' &&
			/^(is|has|looks|appears|features|shows|was|seems)$/.test(w[k + 1] ?? '')
		) {
			flags.push(detail(`"it ${w[k + 1]} ..." describes the subject.`));
		} else if (/^(the|this|that)$/.test(x)) {
			for (let n = 1; n <= 4 && k + n < w.length; n++) {
				const y = w[k + n];
				if (names.has(y)) {
					flags.push({
						code: 'subject-repeated',
						message: `"${w.slice(k, k + n + 1).join(' ')}" refers back to the subject; name it only once, as "${s.identifier} ${s.classNoun}".`
					});
					break;
				}
				// Up to three adjectives between: "the striped cat", "the small white dog".
				if (words[k + n - 1].stop || /^(of|on|in|at|by|with|and|or|to|is|are|has)$/.test(y)) break;
			}
		}
	}
	// A possessive of the subject itself: "a sks cat's green eyes".
	if (words[from - 1]?.w.endsWith("'s")) {
		flags.push(detail(`A possessive of the subject ("${words[from - 1].w} ...") describes it.`));
	}
	return flags;
}

function dedupe(flags: CaptionFlag[]): CaptionFlag[] {
	const seen = new Set<string>();
	return flags.filter((f) => !seen.has(f.message) && (seen.add(f.message), true));
}
