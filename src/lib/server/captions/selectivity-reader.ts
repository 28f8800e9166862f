import type { CaptionFlag } from '../db/schema';
import type { SubjectNaming } from './descriptions';
import { isAnimalClass, subjectParts, subjectWords } from './subject-words';
import {
	ADJ_SHAPE,
	APPEARANCE,
	COLOUR,
	DETERMINER,
	DISPLAY,
	GENERIC_PART,
	LOOK_ADJ,
	LOOK_NOUN,
	MATERIAL,
	PLACE,
	POSE_PART,
	POSE_STATE
} from './selectivity-words';

/**
 * The reading primitives of the selectivity structure (selectivity-structure.ts): where a phrase
 * ends, whether a place starts, which part or look a span names, and the subject's own action,
 * which both the slot right after the subject and later phrases reach.
 */
export interface Word {
	w: string;
	/** A comma, semicolon, colon or period right after the word. */
	stop: string;
}

export const detail = (message: string): CaptionFlag => ({ code: 'subject-detail', message });
export const RELATIVE = new Set(['that', 'which', 'who', 'whose']);
/** Articles that open a scene noun phrase after a preposition ("on a", "to one ear" is a part). */
export const ARTICLE = new Set(['a', 'an', 'the', 'some', 'this']);
export const PARTICLE = new Set(['off', 'up', 'out', 'down', 'back', 'around', 'over']);
/** Nouns that "in a/the ..." names as the subject's look: "in the shape of", "in a teal glaze". */
export const IN_LOOK = new Set(
	'shape form style colour color colours colors shade hue tone pattern finish glaze design print texture'.split(
		' '
	)
);
/** Parts another object is carried in or worn on; "a blaze down its face" is a marking. */
export const CARRIES = new Set('mouth neck head paws back'.split(' '));
/** Parts that, with "of", name a place on another thing; "a thick coat of cream" stays a part. */
export const PLACE_PART = new Set(
	'back edge edges side sides top bottom base front arm arms foot head rim corner end face surface lid handle neck'.split(
		' '
	)
);
export const NOT_VERB = new Set(
	'ring string spring king wing evening ceiling building something'.split(' ')
);

export const isIng = (x: string) => /ing$/.test(x) && x.length > 4 && !NOT_VERB.has(x);
export const adjectiveLike = (x: string) =>
	COLOUR.has(x) ||
	MATERIAL.has(x) ||
	LOOK_ADJ.has(x) ||
	APPEARANCE.has(x) ||
	(ADJ_SHAPE.test(x) && !isIng(x));
/** A lexicon lookup that also knows the singular: "shoulders", "wicks", "patches". */
export const has = (set: Set<string>, x: string) =>
	set.has(x) || (x.endsWith('s') && (set.has(x.slice(0, -1)) || set.has(x.slice(0, -2))));

export class SidReader {
	protected readonly n: number;
	/** Parts and looks of anything: for phrases attached to the subject directly. */
	protected readonly parts: Set<string>;
	/** The subject's own parts and looks: for phrases that could be another noun's. */
	protected readonly ownParts: Set<string>;
	protected readonly names: Set<string>;
	protected readonly animal: boolean;
	protected readonly plural: boolean;
	readonly flags: CaptionFlag[] = [];

	constructor(
		protected readonly words: Word[],
		protected readonly w: string[],
		protected readonly at: number,
		protected readonly s: SubjectNaming
	) {
		this.n = w.length;
		this.ownParts = new Set([...subjectParts(s.classNoun), ...LOOK_NOUN]);
		this.parts = new Set([...GENERIC_PART, ...this.ownParts]);
		this.names = subjectWords(s.classNoun);
		this.animal = s.kind === 'live' || isAnimalClass(s.classNoun);
		this.plural = /(?:glasses|s)$/.test(s.classNoun.toLowerCase().trim());
	}

	protected say(message: string) {
		this.flags.push(detail(message));
	}

	protected text(from: number, to: number) {
		return this.w.slice(from, Math.min(to, this.n)).join(' ');
	}

	/** A place phrase starts at k: "on a", "beside the", "in front of"; "to one ear" does not. */
	protected placeAt(k: number) {
		const x = this.w[k];
		if (!PLACE.has(x ?? '')) return false;
		const y = this.w[k + 1] ?? '';
		return ARTICLE.has(y) || y === 'front' || y === 'next' || PLACE.has(y);
	}

	/** End of a phrase attached at `from`: punctuation, a place, a clause, a verb after a noun. */
	protected phraseEnd(from: number, max = 10, untilWith = false) {
		const { w, words } = this;
		for (let k = from; k < Math.min(this.n, from + max); k++) {
			// ", organic" after "asymmetrical": adjectives of one noun, not the end of the phrase.
			const listed = words[k - 1]?.stop === ',' && adjectiveLike(w[k - 1]) && adjectiveLike(w[k]);
			if (k > from && words[k - 1].stop && !listed) return k;
			if (k > from && untilWith && w[k] === 'with') return k;
			if (k > from && (this.placeAt(k) || RELATIVE.has(w[k]))) return k;
			if (k > from && w[k] === 'while') return k;
			const prev = w[k - 1];
			const nounBefore = !DETERMINER.has(prev) && !adjectiveLike(prev) && !PLACE.has(prev);
			if (k > from && isIng(w[k]) && nounBefore && prev !== 'with') return k;
		}
		return Math.min(this.n, from + max);
	}

	/** "the back of a sofa", "the edge of a table": a part word naming a place on another thing. */
	protected placeOf(k: number) {
		return this.w[k + 1] === 'of' && PLACE_PART.has(this.w[k]);
	}

	/**
	 * The first part or look noun in [from, to). Not a pose ("its mouth open"), not a place on
	 * the subject for another object ("a tennis ball in its mouth"), not "the back of a sofa".
	 */
	protected partIn(from: number, to: number, parts = this.parts): string | null {
		const { w } = this;
		for (let k = from; k < to; k++) {
			if (!has(parts, w[k]) || this.placeOf(k)) continue;
			if (k - from >= 2 && /^(its|their)$/.test(w[k - 1]) && PLACE.has(w[k - 2])) {
				if (CARRIES.has(w[k])) continue; // "a ball in its mouth", "a bandana around its neck"
			}
			const modified = k > from && adjectiveLike(w[k - 1]) && !DETERMINER.has(w[k - 1]);
			const pose = POSE_PART.has(w[k]) && !modified && POSE_STATE.has(w[k + 1] ?? '');
			if (!pose) return w[k];
		}
		return null;
	}

	/** The subject's own action: its object is the subject's when it is a part with a look. */
	protected action(k: number) {
		const { w } = this;
		let from = k + 1;
		if (PARTICLE.has(w[from] ?? '')) from++; // "showing off a white belly"
		if (this.placeAt(from)) return; // "sitting on a stone wall": a place, not an object
		const end = this.phraseEnd(from, 6);
		for (let j = from; j < end; j++) {
			if (!has(this.parts, w[j]) || this.placeOf(j)) continue;
			const modified = j > from && adjectiveLike(w[j - 1]) && !DETERMINER.has(w[j - 1]);
			if (modified || (DISPLAY.has(w[k]) && !POSE_PART.has(w[j])))
				return this.say(`"${this.text(k, j + 1)}" describes the subject's ${w[j]}.`);
		}
		// "shaking water off its shaggy coat": the action reaches the subject's own part.
		const its = w.indexOf('its', from);
		if (its > 0 && its < end + 3 && !this.words.slice(k, its).some((x) => x.stop)) {
			const part = this.partIn(its + 1, Math.min(this.n, its + 4));
			const look = w.slice(its + 1, its + 4).find((x) => adjectiveLike(x));
			if (part && look) this.say(`"${this.text(k, its + 4)}" describes the subject's ${part}.`);
		}
	}
}
