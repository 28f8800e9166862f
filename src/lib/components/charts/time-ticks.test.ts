import { describe, expect, it } from 'vitest';
import { dateCaption, timeRange, timeTicks } from './time-ticks';

const at = (iso: string) => Date.parse(iso);

describe('time ticks', () => {
	it('give a study that filled within a minute distinct second ticks', () => {
		const ticks = timeTicks(at('2026-11-29T10:00:03Z'), at('2026-11-29T10:00:51Z'));
		expect(ticks.map((t) => t.label)).toEqual([
			'10:00:10',
			'10:00:20',
			'10:00:30',
			'10:00:40',
			'10:00:50'
		]);
		expect(new Set(ticks.map((t) => t.label)).size).toBe(ticks.length);
	});

	it('use round minutes and hours for longer studies, dates for weeks', () => {
		expect(
			timeTicks(at('2026-11-29T09:58:00Z'), at('2026-11-29T12:05:00Z')).map((t) => t.label)
		).toEqual(['10:00', '10:30', '11:00', '11:30', '12:00']);
		const weeks = timeTicks(at('2026-11-01T00:00:00Z'), at('2026-11-20T00:00:00Z'));
		expect(weeks.length).toBeGreaterThanOrEqual(2);
		expect(weeks.length).toBeLessThanOrEqual(6);
		expect(timeTicks(at('2026-11-01T00:00:00Z'), at('2026-11-20T00:00:00Z'))[0].label).toMatch(
			/^11-\d\d$/
		);
	});

	it('never give more than the asked number of ticks, all inside the range', () => {
		for (const span of [5_000, 90_000, 3_600_000, 86_400_000 * 3, 86_400_000 * 400]) {
			const t0 = at('2026-01-01T00:00:07Z');
			const ticks = timeTicks(t0, t0 + span);
			expect(ticks.length).toBeGreaterThanOrEqual(1);
			expect(ticks.length).toBeLessThanOrEqual(6);
			for (const t of ticks) expect(t.t >= t0 && t.t <= t0 + span).toBe(true);
		}
	});

	it('widen a single instant into a minute, and caption the day', () => {
		const t = at('2026-11-29T10:00:00Z');
		expect(timeRange([t, t])).toEqual({ t0: t - 30_000, t1: t + 30_000 });
		expect(dateCaption(t, t + 1000)).toBe('2026-11-29 (UTC)');
		expect(dateCaption(t, t + 86_400_000)).toBe('2026-11-29 – 2026-11-30 (UTC)');
	});

	it('date every tick when they cross midnight, and every date when they cross a year', () => {
		const night = timeTicks(at('2026-11-29T21:00:00Z'), at('2026-11-30T03:00:00Z'), 5);
		expect(night.map((t) => t.label)).toEqual(['11-29 22:00', '11-30 00:00', '11-30 02:00']);
		const year = timeTicks(at('2026-11-01T00:00:00Z'), at('2027-03-01T00:00:00Z'));
		for (const t of year) expect(t.label).toMatch(/^\d{4}-\d{2}-\d{2}$/);
	});

	it('give at least two distinct labels for any span and limit from 5 ticks up', () => {
		const t0 = at('2026-01-01T00:00:00.123Z');
		for (const span of [1500, 59_000, 61_000, 3_600_000, 86_400_000 * 3, 86_400_000 * 400])
			for (const max of [5, 6, 8]) {
				const ticks = timeTicks(t0, t0 + span, max);
				expect(ticks.length).toBeGreaterThanOrEqual(2);
				expect(ticks.length).toBeLessThanOrEqual(max);
				expect(new Set(ticks.map((t) => t.label)).size).toBe(ticks.length);
				const steps = new Set(ticks.slice(1).map((t, i) => t.t - ticks[i].t));
				expect(steps.size).toBe(1);
			}
	});
});
