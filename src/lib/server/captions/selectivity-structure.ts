import type { CaptionFlag } from '../db/schema';
import { holdsContents, subjectEnclosures } from './subject-words';
import {
	APPEARANCE,
	DETERMINER,
	DISPLAY,
	LINK,
	LINKING,
	MATERIAL,
	PLACE,
	PLACED_IMAGE,
	PLACEMENT,
	SCENE_MASS,
	STATE
} from './selectivity-words';
import {
	RELATIVE,
	ARTICLE,
	PARTICLE,
	IN_LOOK,
	isIng,
	adjectiveLike,
	has
} from './selectivity-reader';
import { LaterPhrases } from './selectivity-later';

export type { Word } from './selectivity-reader';

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

export class SubjectStructure extends LaterPhrases {
	/** Runs every slot; the flags name the words that describe the subject. */
	analyse(): CaptionFlag[] {
		const { w, words, at } = this;
		if (at >= this.n) return this.flags;
		if (words[at - 1].stop === '.') {
			this.segment(at); // a new sentence: "A sks dog. It has ..." (back references)
		} else if (words[at - 1].stop) {
			// One flag for one phrase: the appositive, or else what the phrase says.
			if (!this.appositiveRightAfter(at)) this.segment(at);
		} else this.mainSlot(at);
		for (let k = at + 1; k < this.n; k++) {
			if (words[k - 1].stop) this.segment(k);
			else if (RELATIVE.has(w[k])) this.sceneClause(k);
			else if (w[k] === 'its' && w[k - 1] !== 'with') this.laterIts(k);
			else if (DISPLAY.has(w[k]) && isIng(w[k])) this.laterDisplay(k);
		}
		return this.flags;
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
		const ends = this.words[k].stop !== '' || k === this.n - 1;
		return (
			ends || this.placeAt(k + 1) || PARTICLE.has(next) || PLACEMENT.has(next) || ARTICLE.has(next)
		);
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
		if (!np.length) return false;
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
		if (!np.length) return;
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

	/** Right after "[v] [class],": an appositive unless it says where the subject is. */
	private appositiveRightAfter(k: number): boolean {
		const x = this.w[k];
		if (x === 'with' || isIng(x) || PLACE.has(x) || PLACEMENT.has(x) || x === 'and') return false;
		if (APPEARANCE.has(x) || RELATIVE.has(x) || STATE.has(x)) return false;
		if (x === 'its' || x === 'their') return false; // ", its fur matted": the segment says which
		this.say(`"${this.text(k, k + 4)} ..." after the subject is an appositive describing it.`);
		return true;
	}
}
