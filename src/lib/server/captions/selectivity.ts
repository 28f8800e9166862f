import type { CaptionFlag } from '../db/schema';
import type { SubjectNaming } from './descriptions';
import { holdsContents, subjectWords } from './subject-words';

/**
 * The selectivity check of a SID (Tab. 1, case 3), deterministic rules only. A SID opens with
 * "a [v] [class]" and never describes the subject: no colour, material, pattern, breed, size or
 * part words attached to it or to a word that refers back to it ("it", "its", "the dog", "the
 * corgi"), and no appositive after it. Precision and recall on a hand-labelled set are measured
 * in bench/sid-selectivity.ts (figures in docs/SID.md); annotators can override a flag with a
 * reason, and an optional second VLM pass (vlm/selectivity-pass.ts) records its own verdict.
 */

const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Words that may follow "[v] [class]" directly: where the subject is, never what it looks like. */
const RELATION =
	/^(?:on|in|at|by|beside|next|near|under|underneath|behind|against|with|among|amid|between|inside|atop|above|below|over|across|along|around|through|from|into|onto|beneath|alongside|before|outside|within|and|while|as|to|up|down|out|off|of|held|worn|placed|propped|perched|set|tucked|hung|hanging|filled|heaped|full|surrounded|nestled|parked|lined|half|resting|sitting|lying|standing|leaning|peeking|peeping|curled|running|jumping|walking|floating|holding|wearing|carrying|looking|facing|seen|shown|left|tied|clipped|attached|strapped|stacked|hidden|partly|partially|[a-z]+ing)$/;

/** Participles that describe how the subject looks rather than where it is. */
const APPEARANCE =
	/^(?:painted|decorated|printed|drawn|made|covered|shaped|glazed|embroidered|stitched|carved|tinted|dented|faded|stained|chipped|scuffed|crafted|woven|knitted|engraved|patterned|striped|spotted|speckled|colou?red|dyed|polished|plated|trimmed|lined|adorned|featuring|sporting|boasting|having|smelling|looking|resembling|wrapped)$/;

const COLOURS =
	'red|orange|yellow|green|blue|purple|violet|pink|magenta|brown|black|white|grey|gray|beige|cream|tan|golden|gold|silver|bronze|copper|brass|teal|turquoise|navy|maroon|burgundy|lilac|lavender|mint|ivory|apricot|rose|rose-gold|reddish|brownish|greyish|pastel|dark|light|bright|pale|metallic|shiny|glossy|matte|chrome|cobalt|crimson|scarlet|amber|ginger|fawn|sable|brindle|tabby|multicoloured|multicolored|colourful|colorful';
const MATERIALS =
	'leather|suede|canvas|nylon|fabric|plastic|rubber|metal|aluminium|aluminum|steel|glass|ceramic|porcelain|stoneware|wood|wooden|wax|plush|fabric|cotton|wool|felt|velvet|denim|mesh|paper|cardboard|fur|furry|fluffy|fuzzy|curly|silky|shaggy';

/** Parts and traits a subject has; "with floppy ears", "its zipper" describe the subject. */
const PARTS =
	'fur|coat|hair|ears?|eyes?|nose|snout|muzzle|tail|paws?|legs?|whiskers|spots|stripes|markings|patch(?:es)?|face|head|body|mane|teeth|tongue|belly|chest|back|arms?|beak|horns?|wings?|mouth|grin|smile|stitching|seams|buttons?|straps?|pockets?|zipper|zip|handles?|lid|spout|rim|base|neck|soles?|laces|toe|heel|upper|frames?|lenses|lens|wick|wax|label|lettering|logo|print|pattern|finish|glaze|surface|texture|colou?rs?|shape|build|size|trim|panels?|fringe|visor|wheels?|antenna|bells?|hands|dial|numbers|enamel|paint|outline|outlines|details?|design|decorations?';

/**
 * Things an object subject comes in and that belong to it: the jar of a jar candle, the holder
 * of a tea light. Details reached through them ("in a glass jar with a round wooden lid")
 * describe the subject; a box or basket it merely sits in is a place and stays allowed.
 */
const ENCLOSURE =
	/^(?:jar|jars|holder|tin|casing|sleeve|wrapper|wrapping|packaging|container|votive)$/;

const DESCRIPTIVE = new RegExp(`^(?:${COLOURS}|${MATERIALS})$`);
const MATERIAL = new RegExp(`^(?:${MATERIALS}|beeswax|stoneware|clay|bone|china|crystal|tin)$`);
const PART = new RegExp(`^(?:${PARTS})$`);

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

const STYLE_WORDS =
	/\b(brush ?strokes?|impasto|palette|colou?r palette|watercolou?r|oil painting|impressionis\w*|expressionis\w*|cubis\w*|pointillis\w*|swirl\w*|bold lines?|flat colou?rs?|linework|cel[- ]shad\w*|art style|style of the painting|painterly)\b/i;

function words(s: string): string[] {
	return s.toLowerCase().match(/[a-z0-9'-]+/g) ?? [];
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
	const placedOn = APPEARANCE.test(next) && /^(on|onto|at|across|inside)$/.test(w[at + 1] ?? '');
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
	} else if (next === 'in' && DESCRIPTIVE.test(w[at + 1] ?? '')) {
		flags.push(detail(`"${phrase(3)} ..." gives the subject's colour or material.`));
	} else if (next === 'in' && s.kind !== 'live') {
		const enclosure = enclosureDetail(w, at + 1);
		if (enclosure) flags.push(detail(`"in ... ${enclosure}" describes what the subject comes in.`));
	} else if (!RELATION.test(next) && !/^[,;.]/.test(next)) {
		flags.push(
			detail(`"${next}" right after "${s.identifier} ${s.classNoun}" describes the subject.`)
		);
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
		const part = partWithin(w, k + 1, 5);
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
function partWithin(w: string[], from: number, n: number): string | null {
	for (let k = from; k < Math.min(w.length, from + n); k++) {
		if (PART.test(w[k])) return w[k];
		if (
			k > from &&
			/^(on|in|at|by|beside|next|near|under|behind|against|among|between)$/.test(w[k])
		)
			return null;
	}
	return null;
}

/** Words that point back at the subject later: "its fur", "it has", "the dog is", "the corgi's". */
function referencesBack(words: Word[], w: string[], from: number, s: SubjectNaming): CaptionFlag[] {
	const flags: CaptionFlag[] = [];
	const names = subjectWords(s.classNoun);
	for (let k = from; k < w.length; k++) {
		const x = w[k];
		if (/^(its|their)$/.test(x)) {
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
