import { describe, expect, it } from 'vitest';
import { clusterBootstrap, poisson } from './bootstrap';
import { mulberry32, quantileSorted } from './random';

const decidedShare = (t: number[]) => (t[0] + t[1] > 0 ? t[1] / (t[0] + t[1]) : null);
const shareOfAll = (t: number[]) => t[1] / (t[0] + t[1] + t[2]);
// 30 participants with counts [for a, for b, undecided].
const clusters = Array.from({ length: 30 }, (_, i) => [i % 4, ((i * 7) % 5) + 1, i % 3]);

describe('clusterBootstrap', () => {
	it('agrees with an independent NumPy bootstrap of the same clusters', () => {
		// Reference: NumPy, default_rng(1), 200,000 resamples of the 30 clusters
		// (rng.integers(0, 30, (R, 30)); cl[idx].sum(1)), np.percentile(stat, [2.5, 97.5]):
		//   decided share b/(a+b): 0.610062893081761, 0.7459016393442623
		//   share of all b/n:      0.4906832298136646, 0.6159420289855072
		// Different generators, so only Monte Carlo agreement is expected.
		const d = clusterBootstrap(clusters, decidedShare, { reps: 20_000 });
		expect(d.lo!).toBeCloseTo(0.6101, 2);
		expect(d.hi!).toBeCloseTo(0.7459, 2);
		const s = clusterBootstrap(clusters, shareOfAll, { reps: 20_000 });
		expect(s.lo!).toBeCloseTo(0.4907, 2);
		expect(s.hi!).toBeCloseTo(0.6159, 2);
	});

	it('is reproducible for a seed and changes with the seed', () => {
		const a = clusterBootstrap(clusters, decidedShare, { seed: 7 });
		const b = clusterBootstrap(clusters, decidedShare, { seed: 7 });
		const c = clusterBootstrap(clusters, decidedShare, { seed: 8 });
		expect(a).toEqual(b);
		expect(c.lo).not.toBe(a.lo);
	});

	it('collapses to the point estimate with one participant', () => {
		const one = clusterBootstrap([[3, 9, 2]], decidedShare);
		expect(one.lo).toBe(0.75);
		expect(one.hi).toBe(0.75);
	});

	it('reports undefined resamples instead of counting them', () => {
		// Half the participants only answer "undecided": resamples made only of them are skipped.
		const mixed = [
			[0, 0, 4],
			[1, 2, 0]
		];
		const r = clusterBootstrap(mixed, decidedShare, { reps: 1000 });
		expect(r.valid).toBeLessThan(850);
		// Both draws hit the all-undecided participant with probability 1/4.
		expect(r.valid).toBeGreaterThan(650);
		const none = clusterBootstrap([[0, 0, 5]], decidedShare);
		expect([none.lo, none.hi, none.valid]).toEqual([null, null, 0]);
		expect(clusterBootstrap([], decidedShare).lo).toBeNull();
	});
});

describe('random', () => {
	it('mulberry32 matches a Python transcription of the reference C code', () => {
		// Python with explicit 32-bit masking, seed 0: 1144304738, 1416247, 958946056
		const r = mulberry32(0);
		expect([r(), r(), r()].map((x) => x * 2 ** 32)).toEqual([1144304738, 1416247, 958946056]);
	});

	it('quantileSorted interpolates like numpy.percentile (linear)', () => {
		// np.percentile([1, 2, 4, 8], [25, 50, 97.5]) = [1.75, 3.0, 7.7]
		expect(quantileSorted([1, 2, 4, 8], 0.25)).toBeCloseTo(1.75, 12);
		expect(quantileSorted([1, 2, 4, 8], 0.5)).toBeCloseTo(3, 12);
		expect(quantileSorted([1, 2, 4, 8], 0.975)).toBeCloseTo(7.7, 12);
	});
});

describe('the Poisson bootstrap of large studies', () => {
	it('draws Poisson counts with the right mean and variance, small and large', () => {
		const rng = mulberry32(5);
		for (const lambda of [0.7, 4, 25, 3000]) {
			const xs = Array.from({ length: 20000 }, () => poisson(lambda, rng));
			const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
			const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
			expect(Math.abs(mean - lambda)).toBeLessThan(4 * Math.sqrt(lambda / xs.length));
			expect(Math.abs(variance / lambda - 1)).toBeLessThan(0.05);
			expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
		}
	});

	it('gives the classic bootstrap interval for thousands of participants', () => {
		const rng = mulberry32(9);
		const clusters = Array.from({ length: 3000 }, () => {
			const b = Math.floor(rng() * 11);
			return [10 - b, b, 0];
		});
		const poissonWay = clusterBootstrap(clusters, decidedShare, { reps: 2000 });
		const classic = clusterBootstrap(clusters, decidedShare, { reps: 1000 });
		expect(poissonWay.reps * clusters.length).toBeGreaterThan(4_000_000);
		expect(classic.reps * clusters.length).toBeLessThanOrEqual(4_000_000);
		expect(Math.abs(poissonWay.lo! - classic.lo!)).toBeLessThan(0.002);
		expect(Math.abs(poissonWay.hi! - classic.hi!)).toBeLessThan(0.002);
	});
});
