/**
 * Table B.2 of the SID paper with honest statistics: for each question the
 * shares preferring each of two methods and undecided, with intervals,
 * tests, agreement and position bias.
 */
import { krippendorffAlphaNominal } from './agreement';
import { clusterBootstrap, type BootstrapInterval, type BootstrapOptions } from './bootstrap';
import { wilson, type Share } from './interval';
import { holm } from './multiple';
import { signTest, signTestSplitTies, type SignTest } from './sign-test';

/** One answer, reduced to what the statistics need. */
export interface PairAnswer {
	participant: string;
	/** The comparison shown (same subject, prompt and pair of samples): the unit for agreement. */
	unit: string;
	question: string;
	/** Which method won: 'a' (e.g. the baseline), 'b' (e.g. + SID) or undecided. */
	choice: 'a' | 'b' | 'undecided';
	/** Screen side of the chosen image; null for undecided. */
	side: 'left' | 'right' | null;
}

export interface QuestionSummary {
	question: string;
	n: number;
	participants: number;
	a: Share;
	b: Share;
	undecided: Share;
	/** b / (a + b): the preference for b among decided answers. */
	bDecided: Share;
	/** Participant-clustered bootstrap intervals for b's share of all answers and of decided ones. */
	bBootstrap: BootstrapInterval;
	bDecidedBootstrap: BootstrapInterval;
	signExcludingUndecided: SignTest;
	signSplitUndecided: SignTest;
	/** Holm-adjusted across the study's questions (filled in by summarizeStudy). */
	signExcludingUndecidedHolm: number | null;
	signSplitUndecidedHolm: number | null;
	/** Krippendorff's alpha (nominal: a / b / undecided) over units rated by 2 or more people. */
	alpha: number | null;
	/** Share of decided answers that picked the left image. */
	left: Share;
	leftSign: SignTest;
}

const ratio = (num: number, den: number) => (den > 0 ? num / den : null);

export function summarizeQuestion(
	question: string,
	answers: readonly PairAnswer[],
	bootstrap: BootstrapOptions = {}
): QuestionSummary {
	let a = 0;
	let b = 0;
	let u = 0;
	let left = 0;
	let right = 0;
	const perParticipant = new Map<string, number[]>();
	const perUnit = new Map<string, string[]>();
	for (const x of answers) {
		if (x.question !== question) continue;
		const counts = perParticipant.get(x.participant) ?? [0, 0, 0];
		perParticipant.set(x.participant, counts);
		const slot = x.choice === 'a' ? 0 : x.choice === 'b' ? 1 : 2;
		counts[slot]++;
		if (slot === 0) a++;
		else if (slot === 1) b++;
		else u++;
		if (x.side === 'left') left++;
		else if (x.side === 'right') right++;
		const unit = perUnit.get(x.unit) ?? [];
		unit.push(x.choice);
		perUnit.set(x.unit, unit);
	}
	const n = a + b + u;
	const clusters = [...perParticipant.values()];
	const sign = signTest(b, a);
	const split = signTestSplitTies(b, a, u);
	return {
		question,
		n,
		participants: clusters.length,
		a: wilson(a, n),
		b: wilson(b, n),
		undecided: wilson(u, n),
		bDecided: wilson(b, a + b),
		bBootstrap: clusterBootstrap(clusters, (t) => ratio(t[1], t[0] + t[1] + t[2]), bootstrap),
		bDecidedBootstrap: clusterBootstrap(clusters, (t) => ratio(t[1], t[0] + t[1]), bootstrap),
		signExcludingUndecided: sign,
		signSplitUndecided: split,
		signExcludingUndecidedHolm: sign.p,
		signSplitUndecidedHolm: split.p,
		alpha: krippendorffAlphaNominal(perUnit.values()),
		left: wilson(left, left + right),
		leftSign: signTest(left, right)
	};
}

/** Every question of a study, with Holm adjustment across them. */
export function summarizeStudy(
	questions: readonly string[],
	answers: readonly PairAnswer[],
	bootstrap: BootstrapOptions = {}
): QuestionSummary[] {
	const rows = questions.map((q) => summarizeQuestion(q, answers, bootstrap));
	const excl = holm(rows.map((r) => r.signExcludingUndecided.p));
	const split = holm(rows.map((r) => r.signSplitUndecided.p));
	return rows.map((r, i) => ({
		...r,
		signExcludingUndecidedHolm: excl[i],
		signSplitUndecidedHolm: split[i]
	}));
}
