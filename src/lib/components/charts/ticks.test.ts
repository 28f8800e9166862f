import { describe, expect, it } from 'vitest';
import { timeTicks } from './ticks';

const at = (s: string) => Date.parse(s);

function check(ticks: { t: number; label: string }[], t0: number, t1: number, max: number) {
	expect(ticks.length).toBeGreaterThanOrEqual(2);
	expect(ticks.length).toBeLessThanOrEqual(max);
	expect(new Set(ticks.map((k) => k.label)).size).toBe(ticks.length);
	for (const k of ticks) expect(k.t >= t0 && k.t <= t1).toBe(true);
	const steps = new Set(ticks.slice(1).map((k, i) => k.t - ticks[i].t));
	expect(steps.size).toBe(1);
}

describe('timeTicks', () => {
	it('labels a study answered within one minute by the second, not the same minute twice', () => {
		const t0 = at('2026-11-29T19:45:03.400Z');
		const t1 = at('2026-11-29T19:45:41.900Z');
		const ticks = timeTicks(t0, t1, 6);
		check(ticks, t0, t1, 6);
		expect(ticks.map((k) => k.label)).toEqual([
			'11-29 19:45:10',
			'19:45:20',
			'19:45:30',
			'19:45:40'
		]);
	});

	it('uses round minutes and hours for a day of recruiting', () => {
		const t0 = at('2026-11-29T08:07:00Z');
		const t1 = at('2026-11-29T20:55:00Z');
		const ticks = timeTicks(t0, t1, 6);
		check(ticks, t0, t1, 6);
		expect(ticks.map((k) => k.label)).toEqual([
			'11-29 10:00',
			'12:00',
			'14:00',
			'16:00',
			'18:00',
			'20:00'
		]);
	});

	it('dates every tick when they cross midnight', () => {
		const t0 = at('2026-11-29T21:00:00Z');
		const t1 = at('2026-11-30T03:00:00Z');
		const labels = timeTicks(t0, t1, 5).map((k) => k.label);
		expect(labels).toEqual(['11-29 22:00', '11-30 00:00', '11-30 02:00']);
	});

	it('shows dates only for spans of weeks', () => {
		const t0 = at('2026-11-01T10:00:00Z');
		const t1 = at('2026-11-29T10:00:00Z');
		const ticks = timeTicks(t0, t1, 6);
		check(ticks, t0, t1, 6);
		for (const k of ticks) expect(k.label).toMatch(/^\d{4}-\d{2}-\d{2}$/);
	});

	it('keeps every span within the limit with distinct labels', () => {
		const t0 = at('2026-01-01T00:00:00.123Z');
		for (const span of [
			1500,
			59_000,
			61_000,
			3_600_000,
			86_400_000 * 3,
			86_400_000 * 400,
			86_400_000 * 5000
		])
			for (const max of [5, 6, 8]) check(timeTicks(t0, t0 + span, max), t0, t0 + span, max);
	});

	it('gives one labelled tick for a single instant', () => {
		const t = at('2026-11-29T19:45:00Z');
		expect(timeTicks(t, t)).toEqual([{ t, label: '11-29 19:45' }]);
	});
});
