import { describe, expect, it } from 'vitest';
import { signTest, signTestSplitTies } from './sign-test';

// Reference p-values from SciPy 1.x in a throwaway venv:
//   scipy.stats.binomtest(k, n, 0.5, alternative='two-sided').pvalue
const REFERENCE: [number, number, number][] = [
	[12, 20, 0.5034446716308594],
	[0, 1, 1.0],
	[3, 3, 0.25],
	[10, 20, 1.0], // a tie
	[2611, 5200, 0.7708881678747275],
	[60, 100, 0.05688793364098089],
	[0, 30, 1.862645149230957e-9],
	[1460, 2800, 0.0245022964164053],
	[2375, 4521, 0.0006949159173886951]
];

describe('signTest', () => {
	it.each(REFERENCE)('k=%i n=%i matches scipy.stats.binomtest', (k, n, p) => {
		const t = signTest(k, n - k);
		expect(t.n).toBe(n);
		// Relative precision: the small p-values matter as much as the large ones.
		expect(Math.abs(t.p! - p) / p).toBeLessThan(1e-9);
	});

	it('is symmetric in the two methods', () => {
		expect(signTest(7, 19).p).toBe(signTest(19, 7).p);
	});

	it('has nothing to test when every answer is undecided', () => {
		expect(signTest(0, 0).p).toBeNull();
		expect(signTestSplitTies(0, 0, 0).p).toBeNull();
	});
});

describe('signTestSplitTies', () => {
	it('adds half the undecided to each side', () => {
		// 12 vs 4 with 6 undecided -> 15 vs 7 of 22: binomtest(15, 22).pvalue = 0.13380050659179688
		const t = signTestSplitTies(12, 4, 6);
		expect([t.a, t.b, t.n]).toEqual([15, 7, 22]);
		expect(t.p).toBeCloseTo(0.13380050659179688, 12);
	});

	it('drops the one undecided left over when their number is odd', () => {
		const t = signTestSplitTies(12, 4, 7);
		expect([t.a, t.b, t.n]).toEqual([15, 7, 22]);
	});

	it('gives p = 1 when everything is undecided', () => {
		expect(signTestSplitTies(0, 0, 40).p).toBe(1);
	});

	it('is never more significant than excluding undecided answers', () => {
		for (const [a, b, u] of [
			[30, 10, 5],
			[100, 80, 50],
			[5, 0, 3]
		]) {
			expect(signTestSplitTies(a, b, u).p!).toBeGreaterThanOrEqual(signTest(a, b).p!);
		}
	});
});
