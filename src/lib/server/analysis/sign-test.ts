/** Two-sided exact binomial (sign) tests of "no preference" between two methods. */
import binomialCdf from '@stdlib/stats-base-dists-binomial-cdf';

export interface SignTest {
	/** Answers counted for the first method. */
	a: number;
	/** Answers counted for the second method. */
	b: number;
	/** Trials the test used. */
	n: number;
	/** Two-sided p-value under H0: P(first) = 0.5; null when there is nothing to test. */
	p: number | null;
}

/**
 * Exact two-sided binomial test of a successes in a + b trials against 0.5.
 * For p0 = 0.5 the null distribution is symmetric, so the "sum of all
 * outcomes no more likely than the observed one" rule used by
 * scipy.stats.binomtest reduces to twice the smaller tail, capped at 1.
 * The CDF comes from stdlib (regularised incomplete beta), which stays
 * accurate for n in the thousands where a naive sum of pmf terms underflows.
 */
export function signTest(a: number, b: number): SignTest {
	for (const v of [a, b]) {
		if (!Number.isInteger(v) || v < 0)
			throw new RangeError(`signTest: counts must be integers >= 0`);
	}
	const n = a + b;
	if (n === 0) return { a, b, n, p: null };
	const tail = binomialCdf(Math.min(a, b), n, 0.5);
	return { a, b, n, p: Math.min(1, 2 * tail) };
}

/**
 * Sign test with undecided answers split evenly between the two methods
 * (Dixon & Mood 1946): u undecided add floor(u/2) to each side; when u is
 * odd the one left over carries no information either way and is dropped.
 * This is more conservative than excluding undecided answers, because the
 * ties pull the observed share towards one half.
 */
export function signTestSplitTies(a: number, b: number, undecided: number): SignTest {
	if (!Number.isInteger(undecided) || undecided < 0) {
		throw new RangeError(`signTestSplitTies: undecided must be an integer >= 0`);
	}
	const half = Math.floor(undecided / 2);
	return signTest(a + half, b + half);
}
