import { subjectParts } from './subject-words';
import {
	APPEARANCE,
	COLOUR,
	DETERMINER,
	LINK,
	LOOK_ADJ,
	MATERIAL,
	PLACE,
	PLACED_IMAGE,
	PLACEMENT,
	STATE,
	STAND_IN
} from './selectivity-words';
import { SidReader, RELATIVE, ARTICLE, isIng, adjectiveLike, has } from './selectivity-reader';

/**
 * Phrases after the subject's first slot (selectivity-structure.ts): a phrase after a comma or
 * semicolon fills a slot of the subject when its head is no scene noun; a clause or "its" after a
 * scene noun is that noun's unless it names the subject or one of its own parts.
 */
export class LaterPhrases extends SidReader {
	/** A phrase after a comma or semicolon: which slot of the subject it fills, if any. */
	protected segment(k: number) {
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
				this.say(`"with ${this.text(k + 1, later ? to : end)}" describes the subject's ${part}.`);
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
			if (part) this.say(`"${this.text(k, end)}" describes the subject's ${part}.`);
		} else if (/^(one|two|both|each)$/.test(x)) {
			// ", one paw white and ...": a counted part with no other owner is the subject's.
			const part = this.partIn(k + 1, Math.min(this.n, k + 3), this.ownParts);
			if (part) this.say(`"${this.text(k, end)}" describes the subject's ${part}.`);
		} else if (RELATIVE.has(x)) {
			if (k !== this.at) return this.sceneClause(k);
			const look = this.lookIn(k + 1, this.phraseEnd(k + 1, 12));
			if (look) this.say(`"${this.text(k, k + 6)} ..." describes the subject (${look}).`);
		} else if (x === 'a' || x === 'an') {
			this.appositive(k, end);
		} else if (isIng(x)) {
			this.action(k);
		} else if (APPEARANCE.has(x) && !(PLACED_IMAGE.has(x) && this.placeAt(k + 1))) {
			this.say(`"${this.text(k, k + 5)} ..." describes how the subject looks.`);
		} else if (!DETERMINER.has(x) && !PLACE.has(x) && !PLACEMENT.has(x) && !STATE.has(x)) {
			this.adjectivePhrase(k);
		}
	}

	/**
	 * ", sleek and black", ", long-legged and lean with a narrow face", ", soft and threadbare":
	 * adjectives with no noun can only be the subject's; ", silver cutlery and a vase" is a list.
	 */
	protected adjectivePhrase(k: number) {
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
		this.say(`"${this.text(k, j)}" describes the subject.`);
	}

	/** ", its wax melted", ", their mirrored lenses": an absolute phrase about the subject. */
	protected absoluteIts(k: number, end: number) {
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
		if (part || look) this.say(`"${this.text(k, end)}" describes the subject's ${part ?? look}.`);
	}

	/** "the firelight catching its golden fur": "its" with a look and one of the subject's parts. */
	protected laterIts(k: number) {
		const { w } = this;
		const part = this.partIn(k + 1, Math.min(this.n, k + 4), subjectParts(this.s.classNoun));
		const look = part && w.slice(k + 1, w.indexOf(part, k)).find((x) => adjectiveLike(x));
		if (part && look) this.say(`"${this.text(k, k + 4)}" describes the subject's ${part}.`);
	}

	/**
	 * "a sks sneaker on a running track boasting a carbon plate and a foam midsole": a verb of
	 * showing after a scene noun is the subject's when its object names one of the subject's parts.
	 */
	protected laterDisplay(k: number) {
		const end = this.phraseEnd(k + 1, 10);
		const part = this.partIn(k + 1, end, subjectParts(this.s.classNoun));
		if (part) this.say(`"${this.text(k, end)}" describes the subject's ${part}.`);
	}

	/** Appearance words in a clause, up to its first scene place. */
	protected lookIn(from: number, to: number): string | null {
		for (let k = from; k < to; k++) {
			const x = this.w[k];
			if (has(this.parts, x) && this.w[k + 1] !== 'of') return x;
			if (COLOUR.has(x) || MATERIAL.has(x) || LOOK_ADJ.has(x) || APPEARANCE.has(x)) return x;
			if (/^[a-z]+-[a-z]+$/.test(x) && !isIng(x)) return x;
		}
		return null;
	}

	/** ", a scruffy terrier mix with a grey muzzle": an appositive whose head is the subject. */
	protected appositive(k: number, end: number) {
		const { w } = this;
		let h = k + 1;
		while (h + 1 < end && !/^(with|of|and|or)$/.test(w[h + 1]) && !this.words[h].stop) h++;
		if (this.names.has(w[h]) || STAND_IN.has(w[h]))
			return this.say(`"${this.text(k, end)}" is an appositive describing the subject.`);
		if (this.standsForSubject(k))
			this.say(`"${this.text(k, this.clauseEnd(k))}" is an appositive describing the subject.`);
	}

	protected clauseEnd(k: number) {
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
	protected standsForSubject(k: number): boolean {
		const { w } = this;
		const end = this.clauseEnd(k);
		const np = w.slice(k + 1, end);
		// Its own verb or place ("a towel folded beneath it"); a verb after "with" is the detail's.
		const own = np.slice(0, np.includes('with') ? np.indexOf('with') : np.length);
		if (own.some((x) => isIng(x) || PLACEMENT.has(x))) return false;
		const listed = own.some((x, j) => x === 'and' && ARTICLE.has(own[j + 1]));
		if (listed || np.some((x, j) => this.placeAt(k + 1 + j))) return false; // a place, or a list: "a stack of notes and a mug of pens"

		if (np.some((x) => /^(it|them|beside|behind|above|below|nearby|around)$/.test(x))) return false;
		let seg = k - 1;
		while (seg > this.at && !this.words[seg - 1].stop) seg--;
		if (w.slice(seg, k).some((x) => /^(among|amid|including|between|with|and)$/.test(x)))
			return false;
		// "; in the background, a red brick house": a place phrase of its own frames a scene noun.
		if (seg > this.at && PLACE.has(w[seg])) return false;
		return np.some((x) => adjectiveLike(x) || has(this.parts, x));
	}

	/**
	 * "a sks clock on a bedside table whose hands glow", ", which have thin gold arms": a clause
	 * after a scene noun is that noun's unless it names the subject or one of its own parts.
	 */
	protected sceneClause(k: number) {
		const end = this.phraseEnd(k + 1, 10);
		const own = this.w.slice(k + 1, end).find((x) => this.names.has(x));
		const part = own ?? this.partIn(k + 1, end, subjectParts(this.s.classNoun));
		if (part) this.say(`"${this.text(k, end)}" describes the subject (${part}).`);
	}
}
