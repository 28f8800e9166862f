/** Multiple-comparison adjustment across the study's questions. */

/**
 * Holm's step-down adjustment (Holm 1979), as statsmodels'
 * `multipletests(method='holm')`: sort p ascending, multiply the i-th
 * smallest (0-based) by (m - i), carry the running maximum so adjusted
 * values never decrease, cap at 1. It controls the family-wise error rate
 * like Bonferroni but rejects at least as often. Nulls (untestable
 * questions) are kept as null and do not count towards m.
 */
export function holm(pValues: readonly (number | null)[]): (number | null)[] {
	const tested = pValues
		.map((p, i) => ({ p, i }))
		.filter((x): x is { p: number; i: number } => x.p !== null)
		.sort((x, y) => x.p - y.p);
	const m = tested.length;
	const out: (number | null)[] = pValues.map(() => null);
	let running = 0;
	tested.forEach(({ p, i }, rank) => {
		running = Math.max(running, Math.min(1, (m - rank) * p));
		out[i] = running;
	});
	return out;
}
