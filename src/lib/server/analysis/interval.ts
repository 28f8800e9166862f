/** Share estimates with Wilson score intervals. */

/** z for a two-sided 95% interval: the 0.975 quantile of the standard normal. */
export const Z95 = 1.959963984540054;

export interface Share {
	/** Successes counted. */
	k: number;
	/** Trials counted. */
	n: number;
	/** k / n, or null when n is 0 (a share of nothing is undefined, not 0). */
	estimate: number | null;
	/** Lower and upper bound of the interval; null when n is 0. */
	lo: number | null;
	hi: number | null;
}

/**
 * Wilson score interval (Wilson 1927), the default in statsmodels'
 * `proportion_confint(method='wilson')`. Unlike the Wald interval it stays
 * inside [0, 1] and keeps near-nominal coverage for small n and shares near
 * 0 or 1, which is common here (e.g. 7.8% in the paper's Table B.2).
 */
export function wilson(k: number, n: number, z = Z95): Share {
	if (!Number.isInteger(k) || !Number.isInteger(n) || k < 0 || n < 0 || k > n) {
		throw new RangeError(`wilson: need integers 0 <= k <= n, got k=${k}, n=${n}`);
	}
	if (n === 0) return { k, n, estimate: null, lo: null, hi: null };
	const p = k / n;
	const z2 = z * z;
	const denom = 1 + z2 / n;
	const centre = (p + z2 / (2 * n)) / denom;
	const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
	// Clamp float noise at the edges (k = 0 or k = n give exactly 0 or 1).
	return { k, n, estimate: p, lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}
