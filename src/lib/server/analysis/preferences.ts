/**
 * Table B.2 of the SID paper with honest statistics: for each question the
 * shares preferring each of two methods and undecided; the headline test and
 * interval that account for participants and items (clustered.ts); and,
 * labelled as assuming independent answers, the naive answer-level figures.
 */
import { krippendorffAlphaFromCounts } from './agreement';
import { clusterBootstrap, type BootstrapInterval, type BootstrapOptions } from './bootstrap';
import { clusteredPreference, type ClusteredPreference } from './clustered';
import { wilson, type Share } from './interval';
import { holm } from './multiple';
import { signTest, signTestSplitTies, type SignTest } from './sign-test';
import { tallyTotals, type QuestionTally } from './tally';

export { tallyAnswers, type PairAnswer, type QuestionTally } from './tally';

export interface QuestionSummary {
	question: string;
	n: number;
	participants: number;
	items: number;
	a: Share;
	b: Share;
	undecided: Share;
	/** b / (a + b) with a Wilson interval: assumes independent answers. */
	bDecided: Share;
	/** Headline: sign-flip tests by participant and by item, two-way cluster-robust intervals. */
	clustered: ClusteredPreference;
	/** Holm-adjusted headline p across the study's questions. */
	clusteredHolm: number | null;
	/** Participant-clustered bootstrap intervals (one-way: ignores item correlation). */
	bBootstrap: BootstrapInterval;
	bDecidedBootstrap: BootstrapInterval;
	/** Answer-level sign tests: assume independent answers. */
	signExcludingUndecided: SignTest;
	signSplitUndecided: SignTest;
	signExcludingUndecidedHolm: number | null;
	signSplitUndecidedHolm: number | null;
	/** Krippendorff's alpha (nominal: a / b / undecided) over items rated by 2 or more people. */
	alpha: number | null;
	/** Share of decided answers that picked the left image. */
	left: Share;
	leftSign: SignTest;
}

const ratio = (num: number, den: number) => (den > 0 ? num / den : null);

export function summarizeQuestion(
	tally: QuestionTally,
	bootstrap: BootstrapOptions = {}
): QuestionSummary {
	const { a, b, u } = tallyTotals(tally);
	const n = a + b + u;
	const clusters = tally.participants.map((c) => [c.a, c.b, c.undecided]);
	const sign = signTest(b, a);
	const split = signTestSplitTies(b, a, u);
	const clustered = clusteredPreference(tally.participants, tally.items);
	return {
		question: tally.question,
		n,
		participants: tally.participants.length,
		items: tally.items.length,
		a: wilson(a, n),
		b: wilson(b, n),
		undecided: wilson(u, n),
		bDecided: wilson(b, a + b),
		clustered,
		clusteredHolm: clustered.p,
		bBootstrap: clusterBootstrap(clusters, (t) => ratio(t[1], t[0] + t[1] + t[2]), bootstrap),
		bDecidedBootstrap: clusterBootstrap(clusters, (t) => ratio(t[1], t[0] + t[1]), bootstrap),
		signExcludingUndecided: sign,
		signSplitUndecided: split,
		signExcludingUndecidedHolm: sign.p,
		signSplitUndecidedHolm: split.p,
		alpha: krippendorffAlphaFromCounts(tally.items.map((c) => [c.a, c.b, c.undecided])),
		left: wilson(tally.left, tally.left + tally.right),
		leftSign: signTest(tally.left, tally.right)
	};
}

/** Every question of a study, with Holm adjustment across them. */
export function summarizeStudy(
	tallies: readonly QuestionTally[],
	bootstrap: BootstrapOptions = {}
): QuestionSummary[] {
	const rows = tallies.map((t) => summarizeQuestion(t, bootstrap));
	const headline = holm(rows.map((r) => r.clustered.p));
	const excl = holm(rows.map((r) => r.signExcludingUndecided.p));
	const split = holm(rows.map((r) => r.signSplitUndecided.p));
	return rows.map((r, i) => ({
		...r,
		clusteredHolm: headline[i],
		signExcludingUndecidedHolm: excl[i],
		signSplitUndecidedHolm: split[i]
	}));
}
