import { describe, expect, it } from 'vitest';
import { holm } from './multiple';

// Reference: statsmodels.stats.multitest.multipletests(p, method='holm')[1]
describe('holm', () => {
	it('matches statsmodels', () => {
		const a = holm([0.01, 0.04, 0.03, 0.005]);
		[0.03, 0.06, 0.06, 0.02].forEach((x, i) => expect(a[i]).toBeCloseTo(x, 14));
		const b = holm([0.2, 0.2, 0.9, 0.01]);
		[0.6, 0.6, 0.9, 0.04].forEach((x, i) => expect(b[i]).toBeCloseTo(x, 14));
	});

	it('skips untestable questions and keeps their place', () => {
		expect(holm([null, 0.01, null, 0.04])).toEqual([null, 0.02, null, 0.04]);
		expect(holm([])).toEqual([]);
	});
});
