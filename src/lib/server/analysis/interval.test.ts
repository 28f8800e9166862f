import { describe, expect, it } from 'vitest';
import { wilson } from './interval';

// Reference values from statsmodels 0.14 in a throwaway venv:
//   statsmodels.stats.proportion.proportion_confint(k, n, alpha=0.05, method='wilson')
const REFERENCE: [number, number, number, number][] = [
	[47, 130, 0.2840206304739772, 0.44700441724140383],
	[0, 20, 0.0, 0.1611251580528194],
	[20, 20, 0.8388748419471804, 0.9999999999999999],
	[1, 1, 0.2065493143772374, 1.0],
	[5, 13, 0.17709707797762567, 0.6447710848733432],
	[1827, 5200, 0.33848482254387274, 0.36442695671883424],
	[406, 5200, 0.07109228448321202, 0.0856844861537593]
];

describe('wilson', () => {
	it.each(REFERENCE)('k=%i n=%i matches statsmodels', (k, n, lo, hi) => {
		const s = wilson(k, n);
		expect(s.estimate).toBeCloseTo(k / n, 15);
		expect(s.lo).toBeCloseTo(lo, 12);
		expect(s.hi).toBeCloseTo(hi, 12);
	});

	it('returns no estimate for zero trials instead of a fake 0%', () => {
		expect(wilson(0, 0)).toEqual({ k: 0, n: 0, estimate: null, lo: null, hi: null });
	});

	it('rejects impossible counts', () => {
		expect(() => wilson(3, 2)).toThrow(RangeError);
		expect(() => wilson(-1, 2)).toThrow(RangeError);
		expect(() => wilson(0.5, 2)).toThrow(RangeError);
	});
});
