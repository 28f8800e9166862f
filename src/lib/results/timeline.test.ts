import { describe, expect, it } from 'vitest';
import { MAX_STEPS, timelineOf } from './timeline';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 29, 10, minute)).toISOString();

describe('timelineOf', () => {
	it('keeps every step of a small study, in time order, with its ends', () => {
		const t = timelineOf([
			{ startedAt: at(5), completedAt: null, kept: false },
			{ startedAt: at(1), completedAt: at(9), kept: true },
			{ startedAt: at(3), completedAt: at(4), kept: false }
		]);
		expect(t.started.steps).toEqual([
			[Date.parse(at(1)), 1],
			[Date.parse(at(3)), 2],
			[Date.parse(at(5)), 3]
		]);
		expect(t.completed).toMatchObject({ count: 2, first: at(4), last: at(9) });
		expect(t.kept).toMatchObject({ count: 1, first: at(9), last: at(9) });
	});

	it('draws a big study with a bounded number of steps that are exact where drawn', () => {
		const n = 25_000;
		const people = Array.from({ length: n }, (_, i) => ({
			startedAt: new Date(Date.UTC(2026, 10, 29) + i * 1000).toISOString(),
			completedAt: null,
			kept: false
		}));
		const { started } = timelineOf(people);
		expect(started.count).toBe(n);
		expect(started.steps).toHaveLength(MAX_STEPS);
		expect(started.steps.at(-1)).toEqual([Date.UTC(2026, 10, 29) + (n - 1) * 1000, n]);
		for (const [t, k] of started.steps) expect(t).toBe(Date.UTC(2026, 10, 29) + (k - 1) * 1000);
		expect(timelineOf([]).started).toEqual({ count: 0, first: null, last: null, steps: [] });
	});
});
