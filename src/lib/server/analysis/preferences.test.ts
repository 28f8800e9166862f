import { describe, expect, it } from 'vitest';
import {
	summarizeQuestion as summarizeTally,
	summarizeStudy as summarizeTallies,
	tallyAnswers,
	type PairAnswer
} from './preferences';

const summarizeQuestion = (question: string, answers: PairAnswer[]) =>
	summarizeTally(tallyAnswers([question], answers)[0]);
const summarizeStudy = (questions: string[], answers: PairAnswer[]) =>
	summarizeTallies(tallyAnswers(questions, answers));

// Four participants, five comparisons each, one question. The same table was
// fed to an independent Python script (throwaway venv) for the reference values:
//   statsmodels proportion_confint(k, n, method='wilson'),
//   scipy.stats.binomtest(k, n).pvalue,
//   krippendorff.alpha(reliability_data=participants x units, level_of_measurement='nominal').
const TABLE = `p1 u1 b left|p1 u2 b right|p1 u3 a left|p1 u4 u -|p1 u5 b left
p2 u1 b right|p2 u2 b left|p2 u3 b left|p2 u4 u -|p2 u5 a right
p3 u1 b left|p3 u2 u -|p3 u3 b right|p3 u4 b left|p3 u5 b left
p4 u1 a left|p4 u2 b right|p4 u3 u -|p4 u4 b left|p4 u5 u -`;

const answers: PairAnswer[] = TABLE.split(/[|\n]/).map((cell) => {
	const [participant, unit, choice, side] = cell.trim().split(' ');
	return {
		participant,
		unit,
		question: 'overall',
		choice: choice === 'u' ? 'undecided' : (choice as 'a' | 'b'),
		side: side === '-' ? null : (side as 'left' | 'right')
	};
});

describe('summarizeQuestion', () => {
	const s = summarizeQuestion('overall', answers);

	it('counts the shares with Wilson intervals as statsmodels does', () => {
		expect([s.n, s.participants, s.a.k, s.b.k, s.undecided.k]).toEqual([20, 4, 3, 12, 5]);
		expect(s.a.lo).toBeCloseTo(0.052368745896216595, 12);
		expect(s.a.hi).toBeCloseTo(0.36041886474075696, 12);
		expect(s.b.lo).toBeCloseTo(0.3865815007622531, 12);
		expect(s.b.hi).toBeCloseTo(0.781193467627183, 12);
		expect(s.undecided.lo).toBeCloseTo(0.11186170140766563, 12);
		expect(s.undecided.hi).toBeCloseTo(0.4687008776187441, 12);
		expect(s.bDecided.estimate).toBe(0.8);
		expect(s.bDecided.lo).toBeCloseTo(0.5481455128483064, 12);
		expect(s.bDecided.hi).toBeCloseTo(0.9295245065301845, 12);
	});

	it('tests like scipy.stats.binomtest, excluding and splitting undecided', () => {
		expect(s.signExcludingUndecided.p).toBeCloseTo(0.03515625, 14);
		expect([s.signSplitUndecided.a, s.signSplitUndecided.n]).toEqual([14, 19]);
		expect(s.signSplitUndecided.p).toBeCloseTo(0.063568115234375, 14);
	});

	it('measures position bias among decided answers', () => {
		expect([s.left.k, s.left.n]).toEqual([10, 15]);
		expect(s.left.lo).toBeCloseTo(0.41713547738519763, 12);
		expect(s.left.hi).toBeCloseTo(0.8482367556028527, 12);
		expect(s.leftSign.p).toBeCloseTo(0.30175781249999994, 12);
	});

	it('computes agreement as the krippendorff package does', () => {
		expect(s.alpha).toBeCloseTo(-0.14114114114114118, 12);
	});

	it('puts the bootstrap interval around the estimate', () => {
		expect(s.bBootstrap.lo!).toBeLessThanOrEqual(0.6);
		expect(s.bBootstrap.hi!).toBeGreaterThanOrEqual(0.6);
		expect(s.bDecidedBootstrap.valid).toBe(s.bDecidedBootstrap.reps);
	});

	it('handles a question nobody answered and one that is all undecided', () => {
		const empty = summarizeQuestion('text', answers);
		expect([empty.n, empty.b.estimate, empty.signExcludingUndecided.p, empty.alpha]).toEqual([
			0,
			null,
			null,
			null
		]);
		const allUndecided = summarizeQuestion(
			'overall',
			answers.map((x) => ({ ...x, choice: 'undecided' as const, side: null }))
		);
		expect(allUndecided.undecided.estimate).toBe(1);
		expect(allUndecided.bDecided.estimate).toBeNull();
		expect(allUndecided.signExcludingUndecided.p).toBeNull();
		expect(allUndecided.signSplitUndecided.p).toBe(1);
		expect(allUndecided.bDecidedBootstrap.lo).toBeNull();
		expect(allUndecided.left.estimate).toBeNull();
	});
});

describe('summarizeStudy', () => {
	it('adjusts the p-values across questions with Holm and ignores untestable ones', () => {
		const rows = summarizeStudy(['overall', 'text'], answers);
		expect(rows[0].signExcludingUndecidedHolm).toBeCloseTo(0.03515625, 14);
		expect(rows[1].signExcludingUndecidedHolm).toBeNull();
		const twice = summarizeStudy(
			['overall', 'text'],
			[...answers, ...answers.map((x) => ({ ...x, question: 'text' }))]
		);
		expect(twice[0].signExcludingUndecidedHolm).toBeCloseTo(2 * 0.03515625, 14);
	});
});
