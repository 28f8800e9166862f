/**
 * Time-axis ticks at round UTC instants: the step is the smallest "nice" interval that
 * gives at most `max` ticks, and labels carry only the precision the step needs (seconds for
 * a study that filled up in a minute, dates for one that ran for weeks). Ticks are whole
 * multiples of the step since the epoch, so steps under a day fall on round UTC times.
 */

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
// Each step at most 2.5 times the one before, so some step always gives between max / 2.5 and
// max ticks (at least 2 for max >= 5).
const STEPS = [
	...[100, 200, 500],
	...[1, 2, 5, 10, 15, 30].map((n) => n * S),
	...[1, 2, 5, 10, 15, 30].map((n) => n * M),
	...[1, 2, 3, 6, 12].map((n) => n * H),
	...[1, 2, 5, 10, 20, 50, 100, 200, 500].map((n) => n * D)
];

export interface TimeTick {
	t: number;
	label: string;
}

const iso = (t: number) => new Date(t).toISOString();

/**
 * At most `max` ticks in [t0, t1] (epoch ms). Labels are always distinct: milliseconds only
 * under a one-second step, seconds under a minute, the time of day under a day, else the date;
 * ticks that cross midnight carry the date too, and dates that cross a year carry the year.
 * The caller labels the axis "UTC" and, for short spans, the date (`dateCaption`).
 */
export function timeTicks(t0: number, t1: number, max = 6): TimeTick[] {
	const count = (s: number) => Math.floor(t1 / s) - Math.ceil(t0 / s) + 1;
	const step =
		STEPS.find((s) => count(s) <= max) ?? Math.ceil((t1 - t0) / Math.max(1, max - 1) / D) * D;
	const times: number[] = [];
	for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) times.push(t);
	const first = iso(times[0] ?? t0);
	const last = iso(times[times.length - 1] ?? t0);
	const crossesDays = first.slice(0, 10) !== last.slice(0, 10);
	const crossesYears = first.slice(0, 4) !== last.slice(0, 4);
	const label = (t: number) => {
		const text = iso(t);
		if (step >= D) return crossesYears ? text.slice(0, 10) : text.slice(5, 10);
		const time = text.slice(11, step < S ? 23 : step < M ? 19 : 16);
		return crossesDays ? `${text.slice(5, 10)} ${time}` : time;
	};
	return times.map((t) => ({ t, label: label(t) }));
}

/** The axis range: an instant or a few seconds is widened so that ticks can be drawn. */
export function timeRange(times: number[]): { t0: number; t1: number } {
	if (times.length === 0) return { t0: 0, t1: M };
	const lo = Math.min(...times);
	const hi = Math.max(...times);
	if (hi - lo >= 10 * S) return { t0: lo, t1: hi };
	const mid = (lo + hi) / 2;
	return { t0: mid - 30 * S, t1: mid + 30 * S };
}

/** "2026-11-29" when the whole range is one UTC day, else "2026-11-28 – 2026-11-30". */
export function dateCaption(t0: number, t1: number): string {
	const a = new Date(t0).toISOString().slice(0, 10);
	const b = new Date(t1).toISOString().slice(0, 10);
	return a === b ? `${a} (UTC)` : `${a} – ${b} (UTC)`;
}
