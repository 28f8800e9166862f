/** Bradley-Terry ranking of more than two methods from pairwise answers. */
import { mulberry32, quantileSorted } from './random';
import { DEFAULT_SEED } from './bootstrap';

/** One pairwise outcome; `winner` null is an undecided answer (half a win each). */
export interface Comparison {
	i: number;
	j: number;
	winner: number | null;
}

export interface BradleyTerryFit {
	/** Strengths π normalised to sum to 1: P(i beats j) = π_i / (π_i + π_j). */
	strength: number[];
	iterations: number;
	converged: boolean;
}

/**
 * Maximum-likelihood Bradley-Terry strengths by Hunter's (2004) MM
 * algorithm: π_i ← W_i / Σ_{j≠i} n_ij / (π_i + π_j), with W_i the wins of
 * i and n_ij the comparisons of i and j, renormalised each step. An
 * undecided answer counts half a win to each side (Rao & Kupper style ties
 * would need an extra parameter; halves keep the model one-parameter).
 * The MLE exists only if the comparison graph is strongly connected; a
 * method that never wins goes to 0 and is reported as such.
 */
export function bradleyTerry(
	methods: number,
	comparisons: Iterable<Comparison>,
	options: { maxIterations?: number; tolerance?: number } = {}
): BradleyTerryFit {
	return fitCounts(countComparisons(methods, comparisons), options);
}

/** Wins of each method and comparisons of each pair: all the fit needs (and sums over people). */
interface Counts {
	wins: number[];
	pairs: number[][];
}

function countComparisons(methods: number, comparisons: Iterable<Comparison>): Counts {
	const wins = new Array<number>(methods).fill(0);
	const pairs: number[][] = Array.from({ length: methods }, () => new Array(methods).fill(0));
	for (const { i, j, winner } of comparisons) {
		if (i === j) continue;
		pairs[i][j] += 1;
		pairs[j][i] += 1;
		if (winner === null) {
			wins[i] += 0.5;
			wins[j] += 0.5;
		} else {
			wins[winner] += 1;
		}
	}
	return { wins, pairs };
}

function addCounts(into: Counts, x: Counts) {
	x.wins.forEach((w, i) => (into.wins[i] += w));
	x.pairs.forEach((row, i) => row.forEach((n, j) => (into.pairs[i][j] += n)));
}

function fitCounts(
	{ wins, pairs }: Counts,
	{ maxIterations = 10_000, tolerance = 1e-10 } = {}
): BradleyTerryFit {
	const methods = wins.length;
	let pi = new Array<number>(methods).fill(1 / methods);
	for (let it = 1; it <= maxIterations; it++) {
		const next = pi.map((p, i) => {
			let denom = 0;
			for (let j = 0; j < methods; j++)
				if (j !== i && pairs[i][j] > 0) denom += pairs[i][j] / (p + pi[j]);
			return denom > 0 ? wins[i] / denom : p;
		});
		const sum = next.reduce((s, x) => s + x, 0);
		const normalised = next.map((x) => x / sum);
		const change = Math.max(...normalised.map((x, i) => Math.abs(x - pi[i])));
		pi = normalised;
		if (change < tolerance) return { strength: pi, iterations: it, converged: true };
	}
	return { strength: pi, iterations: maxIterations, converged: false };
}

export interface RankedMethod {
	index: number;
	strength: number;
	lo: number | null;
	hi: number | null;
}

/**
 * Bradley-Terry fit with participant-clustered percentile bootstrap
 * intervals for each normalised strength, sorted strongest first. Each
 * participant is reduced once to their wins and pair counts, so a bootstrap
 * draw sums g small matrices instead of re-reading every answer.
 */
export function bradleyTerryWithIntervals(
	methods: number,
	byParticipant: readonly (readonly Comparison[])[],
	{ reps = 500, seed = DEFAULT_SEED, level = 0.95 } = {}
): RankedMethod[] {
	const perParticipant = byParticipant.map((c) => countComparisons(methods, c));
	const empty = () => countComparisons(methods, []);
	const total = empty();
	for (const c of perParticipant) addCounts(total, c);
	const fit = fitCounts(total);
	const draws: number[][] = Array.from({ length: methods }, () => []);
	const g = perParticipant.length;
	const rng = mulberry32(seed);
	for (let r = 0; r < reps && g > 0; r++) {
		const sample = empty();
		for (let k = 0; k < g; k++) addCounts(sample, perParticipant[Math.floor(rng() * g)]);
		const { strength } = fitCounts(sample, { maxIterations: 2000, tolerance: 1e-8 });
		strength.forEach((s, i) => draws[i].push(s));
	}
	const alpha = (1 - level) / 2;
	return fit.strength
		.map((strength, index) => {
			const sorted = draws[index].sort((x, y) => x - y);
			return {
				index,
				strength,
				lo: sorted.length ? quantileSorted(sorted, alpha) : null,
				hi: sorted.length ? quantileSorted(sorted, 1 - alpha) : null
			};
		})
		.sort((x, y) => y.strength - x.strength);
}
