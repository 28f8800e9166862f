import { describe, expect, it } from 'vitest';
import { bradleyTerry, bradleyTerryWithIntervals, type Comparison } from './bradley-terry';

/** n comparisons of i and j that `winner` won. */
const times = (n: number, i: number, j: number, winner: number | null): Comparison[] =>
	Array.from({ length: n }, () => ({ i, j, winner }));

describe('bradleyTerry', () => {
	// Reference: choix 0.4 (PyPI), choix.mm_pairwise(k, data, alpha=0, tol=1e-12),
	// strengths exp(params) normalised to sum 1; data are (winner, loser) pairs.
	it('matches choix.mm_pairwise on three methods', () => {
		const data = [
			...times(7, 0, 1, 0),
			...times(3, 0, 1, 1),
			...times(4, 0, 2, 0),
			...times(6, 0, 2, 2),
			...times(5, 1, 2, 1),
			...times(5, 1, 2, 2)
		];
		const fit = bradleyTerry(3, data);
		expect(fit.converged).toBe(true);
		[0.375, 0.25, 0.375].forEach((x, i) => expect(fit.strength[i]).toBeCloseTo(x, 8));
	});

	it('matches choix.mm_pairwise on four methods', () => {
		const data = [
			...times(10, 0, 1, 0),
			...times(2, 0, 1, 1),
			...times(8, 1, 2, 1),
			...times(4, 1, 2, 2),
			...times(9, 0, 2, 0),
			...times(1, 0, 2, 2),
			...times(3, 0, 3, 3),
			...times(6, 0, 3, 0),
			...times(5, 2, 3, 3),
			...times(5, 2, 3, 2)
		];
		const fit = bradleyTerry(4, data);
		[0.5810058976444682, 0.16149338832234783, 0.10074203592887548, 0.1567586781043085].forEach(
			(x, i) => expect(fit.strength[i]).toBeCloseTo(x, 8)
		);
	});

	it('counts an undecided answer as half a win to each side', () => {
		// 6 wins for 0, 2 for 1, 4 undecided is the same likelihood as 8 vs 4.
		const withTies = bradleyTerry(2, [
			...times(6, 0, 1, 0),
			...times(2, 0, 1, 1),
			...times(4, 0, 1, null)
		]);
		expect(withTies.strength[0]).toBeCloseTo(8 / 12, 10);
	});

	it('gives equal strengths on a tie', () => {
		const fit = bradleyTerry(3, [
			...times(4, 0, 1, 0),
			...times(4, 0, 1, 1),
			...times(2, 1, 2, null),
			...times(3, 0, 2, 0),
			...times(3, 0, 2, 2)
		]);
		fit.strength.forEach((s) => expect(s).toBeCloseTo(1 / 3, 8));
	});
});

describe('bradleyTerryWithIntervals', () => {
	it('ranks strongest first with intervals around the estimate, reproducibly', () => {
		const participants: Comparison[][] = Array.from({ length: 20 }, (_, p) => [
			{ i: 0, j: 1, winner: p % 4 === 0 ? 1 : 0 },
			{ i: 1, j: 2, winner: p % 3 === 0 ? 2 : 1 },
			{ i: 0, j: 2, winner: p % 5 === 0 ? null : 0 }
		]);
		const ranked = bradleyTerryWithIntervals(3, participants, { reps: 200 });
		expect(ranked.map((r) => r.index)).toEqual([0, 1, 2]);
		for (const r of ranked) {
			expect(r.lo!).toBeLessThanOrEqual(r.strength);
			expect(r.hi!).toBeGreaterThanOrEqual(r.strength);
		}
		expect(bradleyTerryWithIntervals(3, participants, { reps: 200 })).toEqual(ranked);
	});
});
