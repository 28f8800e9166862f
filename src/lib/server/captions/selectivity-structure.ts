import type { CaptionFlag } from '../db/schema';
import type { SubjectNaming } from './descriptions';
import { holdsContents, subjectEnclosures, subjectParts, subjectWords } from './subject-words';
import {
	ADJ_SHAPE,
	APPEARANCE,
	COLOUR,
	DETERMINER,
	DISPLAY,
	GENERIC_PART,
	LINK,
	LOOK_ADJ,
	MATERIAL,
	PLACE,
	PLACED_IMAGE,
	PLACEMENT,
	POSE_PART,
	POSE_STATE,
	SCENE_MASS,
	STAND_IN
} from './selectivity-words';

/**
 * Where a phrase attaches in a SID (round 4 of the selectivity rules). The SID grammar is
 * "a [v] [class] [pose/action] <relation to a scene object> <scene>"; a phrase is the subject's
 * when it sits in one of the subject's slots:
 * - the slot right after "[v] [class]", before the first relation to the scene ("with ...",
 *   "in <no article> ...", "of ...", a participle of making or condition, a relative clause);
 * - the object of the subject's own action ("wagging a bushy tail", "showing sharp teeth");
 * - a phrase after a comma or semicolon whose head has no scene noun: an adjective phrase
 *   (", sleek and black"), an absolute "its ..." (", its wax melted"), ", with <parts>", a
 *   relative clause (", which have thin gold arms"), an appositive that names the subject by a
 *   general noun (", a sturdy waterproof model").
 * Inside a slot, the lexicons of selectivity-words.ts decide whether the words name appearance.
 * Elsewhere a phrase belongs to the nearest scene noun ("a laptop with stickers on its lid").
 */

export interface Word {
	w: string;
	/** A comma, semicolon, colon or period right after the word. */
	stop: string;
}

const detail = (message: string): CaptionFlag => ({ code: 'subject-detail', message });
const RELATIVE = new Set(['that', 'which', 'who', 'whose']);
/** Articles that open a scene noun phrase after a preposition ("on a", "to one ear" is a part). */
const ARTICLE = new Set(['a', 'an', 'the', 'some', 'this']);
const PARTICLE = new Set(['off', 'up', 'out', 'down', 'back', 'around', 'over']);
/** Nouns of appearance that "in a/the ..." names: "in the shape of", "in a deep teal glaze". */
const LOOK_NOUN = new Set(
	'shape form style colour color colours colors shade hue tone pattern finish glaze design print texture'.split(
		' '
	)
);
const NOT_VERB = new Set(
	'ring string spring king wing evening ceiling building something'.split(' ')
);

const isIng = (x: string) => /ing$/.test(x) && x.length > 4 && !NOT_VERB.has(x);
const adjectiveLike = (x: string) =>
	COLOUR.has(x) ||
	MATERIAL.has(x) ||
	LOOK_ADJ.has(x) ||
	APPEARANCE.has(x) ||
	(ADJ_SHAPE.test(x) && !isIng(x));

export class SubjectStructure {
	private readonly n: number;
	private readonly parts: Set<string>;
	private readonly ownParts: Set<string>;
	private readonly names: Set<string>;
	readonly flags: CaptionFlag[] = [];

	constructor(
		private readonly words: Word[],
		private readonly w: string[],
		private readonly at: number,
		private readonly s: SubjectNaming
	) {
		this.n = w.length;
		this.ownParts = subjectParts(s.classNoun);
		this.parts = new Set([...GENERIC_PART, ...this.ownParts]);
		this.names = subjectWords(s.classNoun);
	}

	/** Runs every slot; the flags name the words that describe the subject. */
	analyse(): CaptionFlag[] {
		const { w, words, at } = this;
		if (at >= this.n) return this.flags;
		if (words[at - 1].stop) {
			// One flag for one phrase: the appositive, or else what the phrase says.
			if (!this.appositiveRightAfter(at)) this.segment(at);
		} else this.mainSlot(at);
		for (let k = at + 1; k < this.n; k++) {
			if (words[k - 1].stop) this.segment(k);
			else if (RELATIVE.has(w[k]) && w[k] !== 'that') this.sceneClause(k);
		}
		return this.flags;
	}

	private say(message: string) {
		this.flags.push(detail(message));
	}

	private text(from: number, to: number) {
		return this.w.slice(from, Math.min(to, this.n)).join(' ');
	}

	/** A place phrase starts at k: "on a", "beside the", "in front of"; "to one ear" does not. */
	private placeAt(k: number) {
		const x = this.w[k];
		if (!PLACE.has(x ?? '')) return false;
		const y = this.w[k + 1] ?? '';
		return ARTICLE.has(y) || y === 'front' || y === 'next' || PLACE.has(y);
	}

	/** End of a phrase attached at `from`: punctuation, a place, a clause, a verb after a noun. */
	private phraseEnd(from: number, max = 10, untilWith = false) {
		const { w, words } = this;
		for (let k = from; k < Math.min(this.n, from + max); k++) {
			if (k > from && words[k - 1].stop) return k;
			if (k > from && untilWith && w[k] === 'with') return k;
			if (k > from && (this.placeAt(k) || RELATIVE.has(w[k]))) return k;
			if (k > from && w[k] === 'while') return k;
			const prev = w[k - 1];
			if (k > from && isIng(w[k]) && !DETERMINER.has(prev) && !adjectiveLike(prev)) return k;
		}
		return Math.min(this.n, from + max);
	}

	/** The first part or appearance noun in [from, to), unless a pose ("its mouth open"). */
	private partIn(from: number, to: number, parts = this.parts): string | null {
		const { w } = this;
		for (let k = from; k < to; k++) {
			if (!parts.has(w[k]) || w[k + 1] === 'of') continue;
			const modified = k > from && adjectiveLike(w[k - 1]) && !DETERMINER.has(w[k - 1]);
			const pose = POSE_PART.has(w[k]) && !modified && POSE_STATE.has(w[k + 1] ?? '');
			if (!pose) return w[k];
		}
		return null;
	}

	/** The slot right after "[v] [class]": only where it is, never what it is like. */
	private mainSlot(k: number) {
		const { w, s } = this;
		while (k < this.n) {
			const x = w[k];
			if (k > this.at && this.words[k - 1].stop) return;
			if (x === 'with') {
				const end = this.phraseEnd(k + 1);
				const part = this.partIn(k + 1, end);
				if (part) this.say(`"with ${this.text(k + 1, end)}" describes the subject's ${part}.`);
				k = end;
			} else if (x === 'of') {
				if (!this.ofSlot(k)) return;
				k = this.phraseEnd(k + 1, 10, true);
			} else if (x === 'in') {
				return this.inSlot(k);
			} else if (RELATIVE.has(x)) {
				const verb = w[k + 1] ?? '';
				const where = /^(is|sits|lies|stands|rests|hangs)$/.test(verb) && this.placeAt(k + 2);
				if (!where) this.say(`"${this.text(k, k + 5)} ..." is a clause describing the subject.`);
				return;
			} else if (APPEARANCE.has(x) && !(PLACED_IMAGE.has(x) && this.placeAt(k + 1))) {
				return this.say(`"${this.text(k, k + 4)} ..." describes how the subject looks or is made.`);
			} else if (isIng(x)) {
				return this.action(k);
			} else if ((PLACEMENT.has(x) || /ed$|en$/.test(x)) && this.participleDetail(k)) {
				return;
			} else if (PLACEMENT.has(x) || PLACE.has(x) || LINK.has(x)) {
				return;
			} else if (/ed$|en$|t$/.test(x) && this.placeAt(k + 1)) {
				return; // "folded on a desk", "lit on a ledge": a state and its place
			} else {
				return this.say(
					`"${x}" right after "${s.identifier} ${s.classNoun}" describes the subject.`
				);
			}
		}
	}

	/**
	 * A participle of state followed by what it is made or lined with, or by an adjective: "lined
	 * with sheepskin", "worn thin"; "filled with strawberries", "parked in front of" stay places.
	 */
	private participleDetail(k: number): boolean {
		const { w } = this;
		const next = w[k + 1] ?? '';
		if (adjectiveLike(next) && !PLACE.has(next) && !PLACEMENT.has(next) && !isIng(next)) {
			this.say(`"${this.text(k, k + 4)} ..." describes the subject's condition.`);
			return true;
		}
		if (!/^(with|in|from|of)$/.test(next)) return false;
		const end = this.phraseEnd(k + 2, 6);
		const look = w.slice(k + 2, end).find((x) => MATERIAL.has(x) || this.parts.has(x));
		if (look) this.say(`"${this.text(k, end)}" describes the subject's ${look}.`);
		return !!look;
	}

	/**
	 * "of" right after the subject says what it depicts or is made of ("a sks cartoon of a red
	 * creature", "a sks candle of beeswax"), or its breed; a holder's contents ("a sks bowl of
	 * blueberries") are another object. Returns whether the slot goes on after the contents.
	 */
	private ofSlot(k: number): boolean {
		const { w, s } = this;
		const np = w.slice(k + 1, this.phraseEnd(k + 1, 5));
		if (np.includes('breed')) {
			this.say(`"of ${np.join(' ')}" names the subject's breed.`);
			return false;
		}
		if (holdsContents(s.classNoun) && !np.some((x) => MATERIAL.has(x))) return true;
		this.say(`"of ${np.join(' ')}" says what the subject is, depicts or is made of.`);
		return false;
	}

	/** "in" right after the subject: a material or colour, an appearance noun, an enclosure. */
	private inSlot(k: number) {
		const { w, s } = this;
		const next = w[k + 1] ?? '';
		if (next === 'front' || PLACE.has(next)) return;
		const end = this.phraseEnd(k + 1, 6);
		const np = w.slice(k + 1, end);
		if (!DETERMINER.has(next)) {
			// No article: "in brushed steel", "in tortoiseshell frames"; "in tall grass" is a place.
			if (!np.some((x) => SCENE_MASS.has(x)))
				this.say(`"in ${np.join(' ')}" gives the subject's colour, material or parts.`);
			return;
		}
		const headAt = np.findIndex((x) => LOOK_NOUN.has(x));
		if (headAt >= 0) return this.say(`"in ${np.join(' ')}" gives the subject's ${np[headAt]}.`);
		if (s.kind === 'live') return;
		const enclosures = subjectEnclosures(s.classNoun);
		const withAt = np.indexOf('with');
		const head = np.slice(0, withAt < 0 ? np.length : withAt);
		const e = head.findLastIndex((x) => enclosures.has(x)); // "a glass jar": the jar
		if (e < 0) return;
		const own = np.slice(1, e).filter((x) => COLOUR.has(x) || MATERIAL.has(x) || LOOK_ADJ.has(x));
		if (own.length || w[k + 1 + e + 1] === 'with')
			this.say(
				`"in ${this.text(k + 1, this.phraseEnd(k + 2 + e, 6))}" describes what the subject comes in.`
			);
	}

	/** The subject's own action: its object is the subject's when it is a part with a look. */
	private action(k: number) {
		const { w } = this;
		let from = k + 1;
		if (PARTICLE.has(w[from] ?? '')) from++; // "showing off a white belly"
		if (this.placeAt(from)) return; // "sitting on a stone wall": a place, not an object
		const end = this.phraseEnd(from, 6);
		for (let j = from; j < end; j++) {
			if (!this.parts.has(w[j]) || w[j + 1] === 'of') continue;
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

	/** Right after "[v] [class],": an appositive unless it says where the subject is. */
	private appositiveRightAfter(k: number): boolean {
		const x = this.w[k];
		if (x === 'with' || isIng(x) || PLACE.has(x) || PLACEMENT.has(x) || x === 'and') return false;
		if (APPEARANCE.has(x) || RELATIVE.has(x)) return false; // the segment rules say more
		this.say(`"${this.text(k, k + 4)} ..." after the subject is an appositive describing it.`);
		return true;
	}

	/** A phrase after a comma or semicolon: which slot of the subject it fills, if any. */
	private segment(k: number) {
		const { w } = this;
		const x = w[k];
		const end = this.phraseEnd(k + 1);
		if (LINK.has(x)) return;
		if (x === 'with') {
			const part = this.partIn(k + 1, end);
			if (part) this.say(`", with ${this.text(k + 1, end)}" describes the subject's ${part}.`);
		} else if (x === 'its' || x === 'their') {
			const part = this.partIn(
				k + 1,
				Math.min(this.n, k + 4),
				new Set([...this.parts, ...MATERIAL])
			);
			if (part) this.say(`", ${this.text(k, end)}" describes the subject's ${part}.`);
		} else if (x === 'the' && /'s$/.test(this.words[k + 1]?.w ?? '')) {
			const part = this.partIn(k + 2, Math.min(this.n, k + 5));
			if (part) this.say(`", ${this.text(k, k + 5)}" describes the subject's ${part}.`);
		} else if (RELATIVE.has(x)) {
			const look = this.lookIn(k + 1, this.phraseEnd(k + 1, 12));
			if (look) this.say(`", ${this.text(k, k + 6)} ..." describes the subject (${look}).`);
		} else if (x === 'a' || x === 'an') {
			this.appositive(k, end);
		} else if (isIng(x)) {
			this.action(k);
		} else if (APPEARANCE.has(x) && !(PLACED_IMAGE.has(x) && this.placeAt(k + 1))) {
			this.say(`", ${this.text(k, k + 5)} ..." describes how the subject looks.`);
		} else if (!DETERMINER.has(x) && !PLACE.has(x) && !LINK.has(x) && !PLACEMENT.has(x)) {
			// ", sleek and black", ", long-legged and lean with a narrow face": no noun, so the
			// adjectives can only be the subject's (", silver cutlery and ..." is a list item).
			let j = k;
			while (j < this.n && (adjectiveLike(w[j]) || w[j] === 'and' || w[j] === 'or')) {
				if (j > k && this.words[j - 1].stop) break;
				j++;
			}
			const closed = j >= this.n || this.words[j - 1].stop || w[j] === 'with' || PLACE.has(w[j]);
			if (j > k && closed && !/ed$|en$/.test(w[k]))
				this.say(`", ${this.text(k, j)}" describes the subject.`);
			else if (j > k && closed && !this.placeAt(j))
				this.say(`", ${this.text(k, j)}" describes the subject.`);
		}
	}

	/** Appearance words in a clause, up to its first scene place. */
	private lookIn(from: number, to: number): string | null {
		for (let k = from; k < to; k++) {
			const x = this.w[k];
			if (this.parts.has(x) && this.w[k + 1] !== 'of') return x;
			if (COLOUR.has(x) || MATERIAL.has(x) || LOOK_ADJ.has(x) || APPEARANCE.has(x)) return x;
			if (/^[a-z]+-[a-z]+$/.test(x) && !isIng(x)) return x;
		}
		return null;
	}

	/** ", a scruffy terrier mix with a grey muzzle": an appositive that stands for the subject. */
	private appositive(k: number, end: number) {
		const { w } = this;
		const np = w.slice(k + 1, end);
		const withAt = np.indexOf('with');
		const head = np.slice(0, withAt < 0 ? np.length : withAt);
		const name = head.find((x) => this.names.has(x) || STAND_IN.has(x));
		if (name) this.say(`", ${this.text(k, end)}" is an appositive describing the subject.`);
	}

	/** "a sks clock on a bedside table whose hands glow": a clause naming one of its own parts. */
	private sceneClause(k: number) {
		const end = this.phraseEnd(k + 1, 8);
		const part = this.partIn(k + 1, end, this.ownParts);
		if (part) this.say(`"${this.text(k, end)}" describes the subject's ${part}.`);
	}
}
