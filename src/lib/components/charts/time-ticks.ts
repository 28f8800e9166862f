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
const STEPS = [
	1 * S,
	2 * S,
	5 * S,
	10 * S,
	15 * S,
	30 * S,
	1 * M,
	2 * M,
	5 * M,
	10 * M,
	15 * M,
	30 * M,
	1 * H,
	2 * H,
	3 * H,
	6 * H,
	12 * H,
	1 * D,
	2 * D,
	7 * D,
	14 * D,
	30 * D
];

export interface TimeTick {
	t: number;
	label: string;
}

function label(t: number, step: number): string {
	const iso = new Date(t).toISOString();
	if (step >= D) return iso.slice(5, 10); // MM-DD
	if (step >= M) return iso.slice(11, 16); // HH:MM
	return iso.slice(11, 19); // HH:MM:SS
}

/** Ticks in [t0, t1]; the caller labels the axis "UTC" and, for short spans, the date. */
export function timeTicks(t0: number, t1: number, max = 6): TimeTick[] {
	const span = Math.max(t1 - t0, 1);
	const step = STEPS.find((s) => span / s <= max - 1) ?? Math.ceil(span / (max - 1) / D) * D;
	const ticks: TimeTick[] = [];
	for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step)
		ticks.push({ t, label: label(t, step) });
	return ticks;
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
