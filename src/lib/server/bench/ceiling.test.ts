import { afterEach, describe, expect, it } from 'vitest';
import { resetConfig } from '../config';
import { requireBenchEndpoints } from './ceiling';

describe('the ceiling bench endpoints', () => {
	afterEach(() => {
		delete process.env.BENCH_ENDPOINTS;
		resetConfig();
	});

	it('do not exist unless BENCH_ENDPOINTS=on', () => {
		delete process.env.BENCH_ENDPOINTS;
		resetConfig();
		expect(() => requireBenchEndpoints()).toThrow(expect.objectContaining({ status: 404 }));
		process.env.BENCH_ENDPOINTS = 'off';
		resetConfig();
		expect(() => requireBenchEndpoints()).toThrow(expect.objectContaining({ status: 404 }));
		process.env.BENCH_ENDPOINTS = 'on';
		resetConfig();
		expect(() => requireBenchEndpoints()).not.toThrow();
	});
});
