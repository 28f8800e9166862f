/** Inter-rater agreement on one question. */

/**
 * Fleiss' kappa (Fleiss 1971) for N units each rated by the same number n
 * of raters into k categories; `table[i][j]` counts raters who put unit i
 * in category j. kappa = (P̄ − P̄e) / (1 − P̄e), where P̄ is the mean share of
 * agreeing rater pairs per unit and P̄e = Σ p_j² the agreement expected
 * from the overall category shares. Matches statsmodels' `fleiss_kappa`.
 * Null when undefined (fewer than 2 raters, or every rating the same).
 */
export function fleissKappa(table: readonly (readonly number[])[]): number | null {
	if (table.length === 0) return null;
	const n = table[0].reduce((s, x) => s + x, 0);
	if (n < 2) return null;
	const k = table[0].length;
	const colTotals = new Array<number>(k).fill(0);
	let pBar = 0;
	for (const row of table) {
		if (row.reduce((s, x) => s + x, 0) !== n) {
			throw new RangeError('fleissKappa: every unit needs the same number of ratings');
		}
		let sq = 0;
		row.forEach((x, j) => {
			colTotals[j] += x;
			sq += x * x;
		});
		pBar += (sq - n) / (n * (n - 1));
	}
	pBar /= table.length;
	const total = table.length * n;
	const pe = colTotals.reduce((s, c) => s + (c / total) ** 2, 0);
	if (pe >= 1) return null;
	return (pBar - pe) / (1 - pe);
}

/**
 * Krippendorff's alpha for nominal data (Krippendorff 2011), which, unlike
 * Fleiss' kappa, allows a different number of raters per unit, as in a
 * survey where items are assigned at random. alpha = 1 − D_o / D_e with
 *   D_o = (1/n) Σ_u Σ_c n_uc (m_u − n_uc) / (m_u − 1)   (disagreeing ordered pairs),
 *   D_e = Σ_{c≠k} n_c n_k / (n (n − 1)),
 * over units with m_u ≥ 2 ratings (n pairable ratings, n_c of category c).
 * 1 is perfect agreement, 0 is chance, below 0 systematic disagreement.
 * Matches the `krippendorff` PyPI package (level_of_measurement='nominal').
 * Null when undefined (no unit with 2 ratings, or a single category used).
 */
export function krippendorffAlphaNominal(
	units: Iterable<readonly (string | number)[]>
): number | null {
	const tables: Map<string | number, number>[] = [];
	for (const ratings of units) {
		const counts = new Map<string | number, number>();
		for (const r of ratings) counts.set(r, (counts.get(r) ?? 0) + 1);
		tables.push(counts);
	}
	const categories = [...new Set(tables.flatMap((t) => [...t.keys()]))];
	return krippendorffAlphaFromCounts(tables.map((t) => categories.map((c) => t.get(c) ?? 0)));
}

/** The same alpha from per-unit category counts (e.g. [a, b, undecided] per item), as the database aggregates them. */
export function krippendorffAlphaFromCounts(units: Iterable<readonly number[]>): number | null {
	const marginals: number[] = [];
	let n = 0;
	let disagreeObserved = 0;
	for (const counts of units) {
		const m = counts.reduce((s, x) => s + x, 0);
		if (m < 2) continue;
		counts.forEach((nc, c) => {
			marginals[c] = (marginals[c] ?? 0) + nc;
			// Ordered pairs with different values: nc * (m - nc).
			disagreeObserved += (nc * (m - nc)) / (m - 1);
		});
		n += m;
	}
	if (n < 2) return null;
	let sumSq = 0;
	for (const nc of marginals) sumSq += (nc ?? 0) ** 2;
	const expectedPairs = n * n - sumSq; // Σ_{c≠k} n_c n_k
	if (expectedPairs === 0) return null;
	return 1 - ((n - 1) * disagreeObserved) / expectedPairs;
}
