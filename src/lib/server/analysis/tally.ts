/**
 * The aggregates every statistic of the results page is computed from: per
 * question, the counts of each participant and of each item, and the screen
 * sides chosen. The database builds them with GROUP BY (results/tallies.ts);
 * `npm run analyze` builds them from the exported rows with `tallyAnswers`.
 * Both sort clusters by the same key, so the seeded bootstrap draws the
 * same resamples and every figure comes out identical.
 */
import type { ClusterCounts } from './clustered';

export interface QuestionTally {
	question: string;
	/** One entry per participant (key: pseudonym), sorted by key. */
	participants: ClusterCounts[];
	/** One entry per item (key: item id), sorted by key. */
	items: ClusterCounts[];
	/** Decided answers whose chosen image was on the left / right. */
	left: number;
	right: number;
}

/** A question's answers summed over its participants: for a, for b and undecided. */
export function tallyTotals(tally: QuestionTally): { a: number; b: number; u: number } {
	let a = 0;
	let b = 0;
	let u = 0;
	for (const c of tally.participants) {
		a += c.a;
		b += c.b;
		u += c.undecided;
	}
	return { a, b, u };
}

/** One answer, reduced to what the statistics need. */
export interface PairAnswer {
	participant: string;
	/** The comparison shown (same subject, prompt and pair of samples). */
	unit: string;
	question: string;
	/** Which method won: 'a' (e.g. the baseline), 'b' (e.g. + SID) or undecided. */
	choice: 'a' | 'b' | 'undecided';
	/** Screen side of the chosen image; null for undecided. */
	side: 'left' | 'right' | null;
}

/** Code-unit order, the same in every JavaScript engine and locale (unlike localeCompare). */
export const byKey = (x: { key: string }, y: { key: string }) =>
	x.key < y.key ? -1 : x.key > y.key ? 1 : 0;

function bump(map: Map<string, ClusterCounts>, key: string, choice: PairAnswer['choice']) {
	let c = map.get(key);
	if (!c) map.set(key, (c = { key, a: 0, b: 0, undecided: 0 }));
	c[choice]++;
}

/** Tallies answers question by question, in the order of `questions`. */
export function tallyAnswers(
	questions: readonly string[],
	answers: Iterable<PairAnswer>
): QuestionTally[] {
	const acc = new Map(
		questions.map((q) => [
			q,
			{
				participants: new Map<string, ClusterCounts>(),
				items: new Map<string, ClusterCounts>(),
				left: 0,
				right: 0
			}
		])
	);
	for (const x of answers) {
		const t = acc.get(x.question);
		if (!t) continue;
		bump(t.participants, x.participant, x.choice);
		bump(t.items, x.unit, x.choice);
		if (x.side === 'left') t.left++;
		else if (x.side === 'right') t.right++;
	}
	return questions.map((question) => {
		const t = acc.get(question)!;
		return {
			question,
			participants: [...t.participants.values()].sort(byKey),
			items: [...t.items.values()].sort(byKey),
			left: t.left,
			right: t.right
		};
	});
}
