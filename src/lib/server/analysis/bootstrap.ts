/** Participant-clustered bootstrap intervals. */
import gammaln from '@stdlib/math-base-special-gammaln';
import { mulberry32, quantileSorted } from './random';

export interface BootstrapOptions {
	/** Resamples; 2,000 keeps the Monte Carlo error of a 95% bound near 0.005. */
	reps?: number;
	seed?: number;
	level?: number;
}

export interface BootstrapInterval {
	lo: number | null;
	hi: number | null;
	/** Resamples whose statistic was defined (e.g. had any decided answer). */
	valid: number;
	reps: number;
	seed: number;
}

export const DEFAULT_SEED = 20240612;

/**
 * Percentile bootstrap that resamples whole clusters (participants) with
 * replacement. The answers of one participant share a taste and a screen,
 * so they are not independent; resampling answers one by one would make
 * the interval too narrow. Each cluster is a vector of counts (e.g.
 * [for A, for B, undecided]); `statistic` turns summed counts into a number,
 * or null where it is undefined (such resamples are skipped and reported).
 *
 * Above POISSON_ABOVE draws (clusters × resamples) the resampling switches
 * to the Poisson bootstrap (Hanley & MacGibbon 2006; Chamandy et al. 2012):
 * each cluster gets a Poisson(1) weight instead of a multinomial count, which
 * for many clusters is the same distribution. Identical clusters (with ten
 * answers there are only 66 possible count vectors) then share one
 * Poisson(count) draw, so a study of 25,000 participants costs as much as
 * one of 66.
 */
export function clusterBootstrap(
	clusters: readonly (readonly number[])[],
	statistic: (totals: number[]) => number | null,
	options: BootstrapOptions = {}
): BootstrapInterval {
	const reps = options.reps ?? 2000;
	const seed = options.seed ?? DEFAULT_SEED;
	const level = options.level ?? 0.95;
	const g = clusters.length;
	if (g === 0) return { lo: null, hi: null, valid: 0, reps, seed };
	const width = clusters[0].length;
	const rng = mulberry32(seed);
	const values: number[] = [];
	const totals = new Array<number>(width);
	const patterns = g * reps > POISSON_ABOVE ? countPatterns(clusters) : null;
	for (let r = 0; r < reps; r++) {
		totals.fill(0);
		if (patterns) {
			for (const [c, count] of patterns) {
				const w = poisson(count, rng);
				for (let j = 0; j < width; j++) totals[j] += w * c[j];
			}
		} else {
			for (let i = 0; i < g; i++) {
				const c = clusters[Math.floor(rng() * g)];
				for (let j = 0; j < width; j++) totals[j] += c[j];
			}
		}
		const v = statistic(totals);
		if (v !== null && Number.isFinite(v)) values.push(v);
	}
	if (values.length === 0) return { lo: null, hi: null, valid: 0, reps, seed };
	values.sort((x, y) => x - y);
	const alpha = (1 - level) / 2;
	return {
		lo: quantileSorted(values, alpha),
		hi: quantileSorted(values, 1 - alpha),
		valid: values.length,
		reps,
		seed
	};
}

const POISSON_ABOVE = 4_000_000;

/** Distinct count vectors with how often each occurs, in order of first appearance. */
function countPatterns(clusters: readonly (readonly number[])[]): [readonly number[], number][] {
	const seen = new Map<string, [readonly number[], number]>();
	for (const c of clusters) {
		const key = c.join(',');
		const entry = seen.get(key);
		if (entry) entry[1]++;
		else seen.set(key, [c, 1]);
	}
	return [...seen.values()];
}

/**
 * An exact Poisson(lambda) draw: Knuth's multiplication method for small
 * lambda, Hörmann's (1993) transformed rejection (PTRS, as in NumPy) above.
 */
export function poisson(lambda: number, rng: () => number): number {
	if (lambda < 10) {
		const limit = Math.exp(-lambda);
		let k = 0;
		let prod = rng();
		while (prod > limit) {
			k++;
			prod *= rng();
		}
		return k;
	}
	const slam = Math.sqrt(lambda);
	const loglam = Math.log(lambda);
	const b = 0.931 + 2.53 * slam;
	const a = -0.059 + 0.02483 * b;
	const invalpha = 1.1239 + 1.1328 / (b - 3.4);
	const vr = 0.9277 - 3.6224 / (b - 2);
	for (;;) {
		const u = rng() - 0.5;
		const v = rng();
		const us = 0.5 - Math.abs(u);
		const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
		if (us >= 0.07 && v <= vr) return k;
		if (k < 0 || (us < 0.013 && v > us)) continue;
		if (
			Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <=
			-lambda + k * loglam - gammaln(k + 1)
		)
			return k;
	}
}
