import { describe, expect, it } from 'vitest';
import { ci, num, pct, pValue, thousands } from './format';

describe('format', () => {
	it('prints shares like the paper and keeps undefined visible', () => {
		expect(pct(0.406)).toBe('40.6%');
		expect(pct(0.0775)).toBe('7.8%');
		expect(pct(null)).toBe('–');
		expect(ci(0.3521, 0.4612)).toBe('[35.2, 46.1]');
		expect(ci(null, 0.4)).toBe('–');
		expect(thousands(24500)).toBe('24,500');
	});

	it('prints p-values with three significant digits and a floor', () => {
		expect(pValue(0.0351562)).toBe('0.0352');
		expect(pValue(0.00000002)).toBe('< 0.0001');
		expect(pValue(1)).toBe('1.00');
		expect(pValue(null)).toBe('–');
	});

	it('never prints a negative zero', () => {
		expect(num(-0.001, 2)).toBe('0.00');
		expect(num(-0.01, 2)).toBe('-0.01');
		expect(num(0.5)).toBe('0.500');
	});
});
