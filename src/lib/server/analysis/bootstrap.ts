/** Participant-clustered bootstrap intervals. */
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
	for (let r = 0; r < reps; r++) {
		totals.fill(0);
		for (let i = 0; i < g; i++) {
			const c = clusters[Math.floor(rng() * g)];
			for (let j = 0; j < width; j++) totals[j] += c[j];
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
