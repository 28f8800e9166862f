import { describe, expect, it } from 'vitest';
import { fleissKappa, krippendorffAlphaNominal } from './agreement';

describe('fleissKappa', () => {
	// Reference: statsmodels.stats.inter_rater.fleiss_kappa(table) (method='fleiss')
	it('matches statsmodels on the Fleiss (1971) style 10 x 5 table', () => {
		const table = [
			[0, 0, 0, 0, 14],
			[0, 2, 6, 4, 2],
			[0, 0, 3, 5, 6],
			[0, 3, 9, 2, 0],
			[2, 2, 8, 1, 1],
			[7, 7, 0, 0, 0],
			[3, 2, 6, 3, 0],
			[2, 5, 3, 2, 2],
			[6, 5, 2, 1, 0],
			[0, 2, 2, 3, 7]
		];
		expect(fleissKappa(table)).toBeCloseTo(0.20993070442195522, 12);
	});

	it('matches statsmodels on a 3-category, 4-rater table', () => {
		const table = [
			[3, 0, 1],
			[0, 4, 0],
			[2, 1, 1],
			[1, 1, 2],
			[4, 0, 0]
		];
		expect(fleissKappa(table)).toBeCloseTo(0.30107526881720426, 12);
	});

	it('is undefined when all raters always pick the same category', () => {
		expect(fleissKappa([[0, 0, 3]])).toBeNull();
		expect(fleissKappa([])).toBeNull();
		expect(fleissKappa([[1, 0, 0]])).toBeNull();
	});

	it('refuses unequal numbers of raters (use alpha for that)', () => {
		expect(() =>
			fleissKappa([
				[1, 1],
				[2, 1]
			])
		).toThrow(RangeError);
	});
});

describe('krippendorffAlphaNominal', () => {
	// Reference: krippendorff.alpha(reliability_data=..., level_of_measurement='nominal')
	// (PyPI package `krippendorff`), raters x units with NaN for missing; the
	// units below are its columns with the missing ratings dropped.
	it('matches the krippendorff package with missing ratings', () => {
		const units = [
			[0, 0, 0],
			[1, 1, 1],
			[2, 2, 0],
			[0, 1, 1, 1],
			[1, 1],
			[1, 1, 1],
			[0, 0, 2]
		];
		expect(krippendorffAlphaNominal(units)).toBeCloseTo(0.5419847328244275, 12);
	});

	it('matches the krippendorff package on a second set', () => {
		const units = [
			[0, 1, 0],
			[0, 0, 0],
			[1, 1],
			[1, 0, 1],
			[2, 2, 2],
			[2, 1, 2]
		];
		expect(krippendorffAlphaNominal(units)).toBeCloseTo(0.5, 12);
	});

	it('ignores units with a single rating and works on labels', () => {
		const labelled = [['a', 'a'], ['b', 'b'], ['undecided']];
		expect(krippendorffAlphaNominal(labelled)).toBe(1);
	});

	it('is undefined for one participant (no unit rated twice) or a single category', () => {
		expect(krippendorffAlphaNominal([['a'], ['b']])).toBeNull();
		expect(
			krippendorffAlphaNominal([
				['undecided', 'undecided'],
				['undecided', 'undecided']
			])
		).toBeNull();
	});
});
