/** A small seeded PRNG so that every bootstrap on the results page is reproducible. */

/**
 * mulberry32: a 32-bit generator with a full 2^32 period, plenty for the
 * few million draws of a bootstrap, and identical on every JavaScript
 * engine (Math.random is neither seedable nor reproducible).
 */
export function mulberry32(seed: number): () => number {
	let s = seed >>> 0;
	return () => {
		s = (s + 0x6d2b79f5) >>> 0;
		let t = s;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Linear-interpolated quantile (numpy's default, "type 7") of sorted values. */
export function quantileSorted(sorted: readonly number[], q: number): number {
	if (sorted.length === 0) throw new RangeError('quantileSorted: no values');
	const pos = (sorted.length - 1) * q;
	const lo = Math.floor(pos);
	const hi = Math.ceil(pos);
	return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
