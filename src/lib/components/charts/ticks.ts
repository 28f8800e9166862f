/** Time-axis ticks: round UTC instants a fixed "nice" step apart, labelled as finely as needed. */

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
 * At most `max` ticks inside [t0, t1] (epoch ms), each a multiple of the smallest nice step that
 * keeps their number within `max`. A label shows milliseconds only when the step is under a
 * second, seconds only under a minute and the time of day only under a day, so labels always
 * differ; the date (MM-DD) is on the first tick, and on every tick when they cross midnight.
 */
export function timeTicks(t0: number, t1: number, max = 6): TimeTick[] {
	const count = (s: number) => Math.floor(t1 / s) - Math.ceil(t0 / s) + 1;
	const step =
		STEPS.find((s) => count(s) <= max) ?? Math.ceil((t1 - t0) / Math.max(1, max - 1) / D) * D;
	const day = (t: number) => iso(t).slice(0, 10);
	const label = (t: number, withDate: boolean) => {
		const text = iso(t);
		if (step >= D) return text.slice(0, 10);
		const time = text.slice(11, step < S ? 23 : step < M ? 19 : 16);
		return withDate ? `${text.slice(5, 10)} ${time}` : time;
	};
	if (t1 <= t0) return [{ t: t0, label: `${iso(t0).slice(5, 10)} ${iso(t0).slice(11, 16)}` }];
	const times: number[] = [];
	for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) times.push(t);
	const crossesDays = times.length > 0 && day(times[0]) !== day(times[times.length - 1]);
	return times.map((t, i) => ({ t, label: label(t, i === 0 || crossesDays) }));
}
