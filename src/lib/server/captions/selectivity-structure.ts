import type { CaptionFlag } from '../db/schema';
import type { SubjectNaming } from './descriptions';
import {
	holdsContents,
	isAnimalClass,
	subjectEnclosures,
	subjectParts,
	subjectWords
} from './subject-words';
import {
	ADJ_SHAPE,
	APPEARANCE,
	COLOUR,
	DETERMINER,
	DISPLAY,
	GENERIC_PART,
	LINK,
	LINKING,
	LOOK_ADJ,
	LOOK_NOUN,
	MATERIAL,
	PLACE,
	PLACED_IMAGE,
	PLACEMENT,
	POSE_PART,
	POSE_STATE,
	SCENE_MASS,
	STATE,
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
/** Nouns that "in a/the ..." names as the subject's look: "in the shape of", "in a teal glaze". */
const IN_LOOK = new Set(
	'shape form style colour color colours colors shade hue tone pattern finish glaze design print texture'.split(
		' '
	)
);
/** Parts another object is carried in or worn on; "a blaze down its face" is a marking. */
const CARRIES = new Set('mouth neck head paws back'.split(' '));
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
/** A lexicon lookup that also knows the singular: "shoulders", "wicks", "patches". */
const has = (set: Set<string>, x: string) =>
	set.has(x) || (x.endsWith('s') && (set.has(x.slice(0, -1)) || set.has(x.slice(0, -2))));

export class SubjectStructure {
	private readonly n: number;
	/** Parts and looks of anything: for phrases attached to the subject directly. */
	private readonly parts: Set<string>;
	/** The subject's own parts and looks: for phrases that could be another noun's. */
	private readonly ownParts: Set<string>;
	private readonly names: Set<string>;
	private readonly animal: boolean;
	private readonly plural: boolean;
	readonly flags: CaptionFlag[] = [];

	constructor(
		private readonly words: Word[],
		private readonly w: string[],
		private readonly at: number,
		private readonly s: SubjectNaming
	) {
		this.n = w.length;
		this.ownParts = new Set([...subjectParts(s.classNoun), ...LOOK_NOUN]);
		this.parts = new Set([...GENERIC_PART, ...this.ownParts]);
		this.names = subjectWords(s.classNoun);
		this.animal = s.kind === 'live' || isAnimalClass(s.classNoun);
		this.plural = /(?:glasses|s)$/.test(s.classNoun.toLowerCase().trim());
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
			else if (RELATIVE.has(w[k])) this.sceneClause(k);
			else if (w[k] === 'its' && w[k - 1] !== 'with') this.laterIts(k);
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

	/**
	 * The first part or look noun in [from, to). Not a pose ("its mouth open"), not a place on
	 * the subject for another object ("a tennis ball in its mouth"), not "the back of a sofa".
	 */
	private partIn(from: number, to: number, parts = this.parts): string | null {
		const { w } = this;
		for (let k = from; k < to; k++) {
			if (!has(parts, w[k]) || w[k + 1] === 'of') continue;
			if (k - from >= 2 && /^(its|their)$/.test(w[k - 1]) && PLACE.has(w[k - 2])) {
				if (CARRIES.has(w[k])) continue; // "a ball in its mouth", "a bandana around its neck"
			}
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
			} else if (LINKING.has(x)) {
				// "is lying on", "is mounted on": read on; "is brown and white" describes it.
				const next = w[k + 1] ?? '';
				const state = PLACEMENT.has(next) || isIng(next) || this.placeAt(k + 2);
				if (adjectiveLike(next) && !state)
					return this.say(`"${this.text(k, k + 4)} ..." describes the subject.`);
				k++;
			} else if (isIng(x) || DISPLAY.has(x) || this.finiteVerb(k)) {
				return this.action(k);
			} else if ((PLACEMENT.has(x) || /ed$|en$/.test(x)) && this.participleDetail(k)) {
				return;
			} else if (PLACEMENT.has(x) || PLACE.has(x) || LINK.has(x) || STATE.has(x)) {
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

	/** "sits on", "hangs from", "holds a bouquet": a present-tense verb of the subject. */
	private finiteVerb(k: number): boolean {
		const { w } = this;
		if (!/[^s]s$/.test(w[k]) || w[k].length < 4) return false;
		const next = w[k + 1] ?? '';
		return this.placeAt(k + 1) || PARTICLE.has(next) || PLACEMENT.has(next) || ARTICLE.has(next);
	}

	/**
	 * A participle of state followed by what it is made or lined with, by an adjective, or by
	 * what it comes in: "lined with sheepskin", "worn thin", "poured into a vintage teacup";
	 * "filled with strawberries", "parked in front of" stay places.
	 */
	private participleDetail(k: number): boolean {
		const { w } = this;
		const next = w[k + 1] ?? '';
		if (adjectiveLike(next) && !PLACE.has(next) && !PLACEMENT.has(next) && !isIng(next)) {
			this.say(`"${this.text(k, k + 4)} ..." describes the subject's condition.`);
			return true;
		}
		if (next === 'in' || next === 'into') return this.enclosure(k + 1, `${w[k]} ${next}`);
		if (!/^(with|from|of)$/.test(next)) return false;
		const end = this.phraseEnd(k + 2, 6);
		const look = w.slice(k + 2, end).find((x) => MATERIAL.has(x) || has(this.parts, x));
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
		const { w } = this;
		const next = w[k + 1] ?? '';
		if (next === 'front' || PLACE.has(next)) return;
		const np = w.slice(k + 1, this.phraseEnd(k + 1, 6));
		if (!DETERMINER.has(next)) {
			// No article: "in brushed steel", "in tortoiseshell frames"; "in tall grass" is a place.
			if (!np.some((x) => SCENE_MASS.has(x)))
				this.say(`"in ${np.join(' ')}" gives the subject's colour, material or parts.`);
			return;
		}
		const look = np.find((x) => IN_LOOK.has(x));
		if (look) return this.say(`"in ${np.join(' ')}" gives the subject's ${look}.`);
		this.enclosure(k, 'in');
	}

	/**
	 * "in a glass jar with a round wooden lid", "poured into a vintage teacup": what an object
	 * subject comes in, with its own look, is the subject's; "in a jar", "in a box" are places.
	 */
	private enclosure(k: number, lead: string): boolean {
		const { w, s } = this;
		if (s.kind === 'live' || this.animal) return false;
		const np = w.slice(k + 1, this.phraseEnd(k + 1, 6));
		const withAt = np.indexOf('with');
		const head = np.slice(0, withAt < 0 ? np.length : withAt);
		const enclosures = subjectEnclosures(s.classNoun);
		const e = head.findLastIndex((x) => enclosures.has(x)); // "a glass jar": the jar
		if (e < 0) return false;
		const own = head.slice(0, e).filter((x) => adjectiveLike(x));
		if (!own.length && withAt !== e + 1) return false;
		const end = this.phraseEnd(k + 2 + e, 6);
		this.say(`"${lead} ${this.text(k + 1, end)}" describes what the subject comes in.`);
		return true;
	}

	/** The subject's own action: its object is the subject's when it is a part with a look. */
	private action(k: number) {
		const { w } = this;
		let from = k + 1;
		if (PARTICLE.has(w[from] ?? '')) from++; // "showing off a white belly"
		if (this.placeAt(from)) return; // "sitting on a stone wall": a place, not an object
		const end = this.phraseEnd(from, 6);
		for (let j = from; j < end; j++) {
			if (!has(this.parts, w[j]) || w[j + 1] === 'of') continue;
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
		if (APPEARANCE.has(x) || RELATIVE.has(x) || STATE.has(x)) return false;
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
			// ", with shearling peeking out from the collar": "the <its own part>" later on.
			const own = subjectParts(this.s.classNoun);
			const to = this.clauseEnd(k);
			const later = w.slice(end, to).find((y, j) => own.has(y) && w[end + j - 1] === 'the');
			const part = this.partIn(k + 1, end) ?? later;
			if (part)
				this.say(`", with ${this.text(k + 1, later ? to : end)}" describes the subject's ${part}.`);
		} else if (x === (this.plural ? 'their' : 'its')) {
			// "a row of cookbooks, their spines cracked": the pronoun agrees with its noun.
			this.absoluteIts(k, end);
		} else if (x === 'the') {
			// ", the lenses smudged", ", the feline's white paws": a part with no other owner.
			const owner = /'s$/.test(this.words[k + 1]?.w ?? '') ? k + 2 : k + 1;
			const part = this.partIn(
				owner,
				Math.min(this.n, owner + 3),
				owner > k + 1 ? this.parts : this.ownParts
			);
			if (part) this.say(`", ${this.text(k, end)}" describes the subject's ${part}.`);
		} else if (/^(one|two|both|each)$/.test(x)) {
			// ", one paw white and ...": a counted part with no other owner is the subject's.
			const part = this.partIn(k + 1, Math.min(this.n, k + 3), this.ownParts);
			if (part) this.say(`", ${this.text(k, end)}" describes the subject's ${part}.`);
		} else if (RELATIVE.has(x)) {
			if (k !== this.at) return this.sceneClause(k);
			const look = this.lookIn(k + 1, this.phraseEnd(k + 1, 12));
			if (look) this.say(`", ${this.text(k, k + 6)} ..." describes the subject (${look}).`);
		} else if (x === 'a' || x === 'an') {
			this.appositive(k, end);
		} else if (isIng(x)) {
			this.action(k);
		} else if (APPEARANCE.has(x) && !(PLACED_IMAGE.has(x) && this.placeAt(k + 1))) {
			this.say(`", ${this.text(k, k + 5)} ..." describes how the subject looks.`);
		} else if (!DETERMINER.has(x) && !PLACE.has(x) && !PLACEMENT.has(x) && !STATE.has(x)) {
			this.adjectivePhrase(k);
		}
	}

	/**
	 * ", sleek and black", ", long-legged and lean with a narrow face", ", soft and threadbare":
	 * adjectives with no noun can only be the subject's; ", silver cutlery and a vase" is a list.
	 */
	private adjectivePhrase(k: number) {
		const { w, words } = this;
		const closes = (j: number) =>
			j >= this.n || words[j - 1].stop !== '' || w[j] === 'with' || PLACE.has(w[j]);
		let j = k;
		while (j < this.n && (adjectiveLike(w[j]) || w[j] === 'and' || w[j] === 'or')) {
			if (j > k && words[j - 1].stop) break;
			j++;
		}
		// "A and B" with one word each side: two predicates of the subject.
		const pair = adjectiveLike(w[k]) && w[k + 1] === 'and' && !words[k].stop && closes(k + 3);
		if (pair) j = k + 3;
		if (j === k || !closes(j)) return;
		if (/ed$|en$/.test(w[k]) && !APPEARANCE.has(w[k]) && this.placeAt(j)) return; // ", parked in"
		this.say(`", ${this.text(k, j)}" describes the subject.`);
	}

	/** ", its wax melted", ", their mirrored lenses": an absolute phrase about the subject. */
	private absoluteIts(k: number, end: number) {
		const { w } = this;
		const to = Math.min(this.n, k + 5);
		const part = this.partIn(k + 1, to, this.ownParts);
		// ", its light falling on ...": the noun right before a verb is the head, not a look.
		const from = isIng(w[k + 2] ?? '') ? k + 2 : k + 1;
		const look = w
			.slice(from, to)
			.find(
				(x) =>
					APPEARANCE.has(x) ||
					(!this.animal && (MATERIAL.has(x) || COLOUR.has(x) || LOOK_ADJ.has(x)))
			);
		if (part || look) this.say(`", ${this.text(k, end)}" describes the subject's ${part ?? look}.`);
	}

	/** "the firelight catching its golden fur": "its" with a look and one of the subject's parts. */
	private laterIts(k: number) {
		const { w } = this;
		const part = this.partIn(k + 1, Math.min(this.n, k + 4), subjectParts(this.s.classNoun));
		const look = part && w.slice(k + 1, w.indexOf(part, k)).find((x) => adjectiveLike(x));
		if (part && look) this.say(`"${this.text(k, k + 4)}" describes the subject's ${part}.`);
	}

	/** Appearance words in a clause, up to its first scene place. */
	private lookIn(from: number, to: number): string | null {
		for (let k = from; k < to; k++) {
			const x = this.w[k];
			if (has(this.parts, x) && this.w[k + 1] !== 'of') return x;
			if (COLOUR.has(x) || MATERIAL.has(x) || LOOK_ADJ.has(x) || APPEARANCE.has(x)) return x;
			if (/^[a-z]+-[a-z]+$/.test(x) && !isIng(x)) return x;
		}
		return null;
	}

	/** ", a scruffy terrier mix with a grey muzzle": an appositive whose head is the subject. */
	private appositive(k: number, end: number) {
		const { w } = this;
		let h = k + 1;
		while (h + 1 < end && !/^(with|of|and|or)$/.test(w[h + 1]) && !this.words[h].stop) h++;
		if (this.names.has(w[h]) || STAND_IN.has(w[h]))
			return this.say(`", ${this.text(k, end)}" is an appositive describing the subject.`);
		if (this.standsForSubject(k))
			this.say(`", ${this.text(k, this.clauseEnd(k))}" is an appositive describing the subject.`);
	}

	private clauseEnd(k: number) {
		let j = k;
		while (j < this.n && !this.words[j].stop) j++;
		return j + 1;
	}

	/**
	 * ", a floppy-eared bunny in pale blue corduroy" at the end of a clause: a scene object in a
	 * SID has a place of its own ("a pencil beside it", "a towel folded beneath it") or continues
	 * a list ("among nails, a hammer and a tape measure"); one with neither, but with a look, is
	 * another name for the subject.
	 */
	private standsForSubject(k: number): boolean {
		const { w } = this;
		const end = this.clauseEnd(k);
		const np = w.slice(k + 1, end);
		// Its own verb or place ("a towel folded beneath it"); a verb after "with" is the detail's.
		const own = np.slice(0, np.includes('with') ? np.indexOf('with') : np.length);
		if (own.some((x) => isIng(x) || PLACEMENT.has(x))) return false;
		if (np.some((x, j) => this.placeAt(k + 1 + j) || (x === 'and' && ARTICLE.has(np[j + 1]))))
			return false; // a place, or a list: "a stack of notes and a mug of pens"

		if (np.some((x) => /^(it|them|beside|behind|above|below|nearby|around)$/.test(x))) return false;
		let seg = k - 1;
		while (seg > this.at && !this.words[seg - 1].stop) seg--;
		if (w.slice(seg, k).some((x) => /^(among|amid|including|between|with|and)$/.test(x)))
			return false;
		return np.some((x) => adjectiveLike(x) || has(this.parts, x));
	}

	/**
	 * "a sks clock on a bedside table whose hands glow", ", which have thin gold arms": a clause
	 * after a scene noun is that noun's unless it names the subject or one of its own parts.
	 */
	private sceneClause(k: number) {
		const end = this.phraseEnd(k + 1, 10);
		const own = this.w.slice(k + 1, end).find((x) => this.names.has(x));
		const part = own ?? this.partIn(k + 1, end, subjectParts(this.s.classNoun));
		if (part) this.say(`"${this.text(k, end)}" describes the subject (${part}).`);
	}
}
