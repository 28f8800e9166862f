/**
 * The participants-over-time chart's data, counted on the server: a 25,000-participant study
 * would otherwise send (and draw) one step per person in each of three lines.
 */

/** Cumulative count at a moment: [milliseconds since the epoch, participants so far]. */
export type Step = [number, number];

export interface TimelineSeries {
	count: number;
	first: string | null;
	last: string | null;
	/** Every step when there are at most MAX_STEPS, else MAX_STEPS of them, exact where drawn. */
	steps: Step[];
}

export interface Timeline {
	started: TimelineSeries;
	completed: TimelineSeries;
	kept: TimelineSeries;
}

export const MAX_STEPS = 400;

function series(times: (string | null)[]): TimelineSeries {
	const ms = times
		.filter((t): t is string => t !== null)
		.map((t) => Date.parse(t))
		.sort((a, b) => a - b);
	const n = ms.length;
	const at = (i: number): Step => [ms[i], i + 1];
	const steps =
		n <= MAX_STEPS
			? ms.map((_, i) => at(i))
			: Array.from({ length: MAX_STEPS }, (_, k) => at(Math.ceil(((k + 1) * n) / MAX_STEPS) - 1));
	const iso = (i: number) => (n ? new Date(ms[i]).toISOString() : null);
	return { count: n, first: iso(0), last: iso(n - 1), steps };
}

/** Started, completed, and completed-and-kept participants (previews left out by the caller). */
export function timelineOf(
	people: { startedAt: string | null; completedAt: string | null; kept: boolean }[]
): Timeline {
	return {
		started: series(people.map((p) => p.startedAt)),
		completed: series(people.map((p) => p.completedAt)),
		kept: series(people.map((p) => (p.kept ? p.completedAt : null)))
	};
}
