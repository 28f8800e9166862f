import { describe, expect, it } from 'vitest';
import { holm } from './multiple';
import { methodPairs, summarizePairs } from './pairs';
import { summarizeStudy } from './preferences';
import { tallyAnswers, type PairAnswer } from './tally';

/** `people` participants each answering `units` items; `lean(p, u)` picks the method. */
function answers(people: number, units: number, lean: (p: number, u: number) => 'a' | 'b') {
	const out: PairAnswer[] = [];
	for (let p = 0; p < people; p++)
		for (let u = 0; u < units; u++)
			for (const question of ['subject', 'overall'])
				out.push({
					participant: `p${p}`,
					unit: `u${u}`,
					question,
					choice: lean(p, u),
					side: (p + u) % 2 ? 'left' : 'right'
				});
	return out;
}

describe('every pair of a k-method study', () => {
	it('lists the pairs in study order, earlier method first', () => {
		expect(methodPairs(['A', 'B', 'C', 'D'])).toEqual([
			['A', 'B'],
			['A', 'C'],
			['A', 'D'],
			['B', 'C'],
			['B', 'D'],
			['C', 'D']
		]);
		expect(methodPairs(['A', 'B'])).toEqual([['A', 'B']]);
		expect(methodPairs(['A'])).toEqual([]);
	});

	it('summarises each pair as a two-method study and Holm-adjusts over all pair × question tests', () => {
		const questions = ['subject', 'overall'];
		const data = [
			// A clear preference, none, and a moderate one.
			answers(12, 6, (p) => (p < 11 ? 'b' : 'a')),
			answers(12, 6, (p, u) => ((p + u) % 2 ? 'b' : 'a')),
			answers(12, 6, (p) => (p < 9 ? 'b' : 'a'))
		];
		const pairs = methodPairs(['A', 'B', 'C']).map((methods, i) => ({
			methods,
			tallies: tallyAnswers(questions, data[i])
		}));
		const out = summarizePairs(pairs, { seed: 7 });
		expect(out.map((p) => p.methods)).toEqual([
			['A', 'B'],
			['A', 'C'],
			['B', 'C']
		]);
		out.forEach((p, i) => expect(p.table).toEqual(summarizeStudy(pairs[i].tallies, { seed: 7 })));
		const all = holm(out.flatMap((p) => p.table.map((q) => q.clustered.p)));
		expect(out.flatMap((p) => p.holmAllPairs)).toEqual(all);
		// Six tests instead of two: the family-wide value is never below the within-pair one,
		// and is strictly above it for the strongest result.
		for (const p of out)
			p.table.forEach((q, i) =>
				expect(p.holmAllPairs[i]!).toBeGreaterThanOrEqual(q.clusteredHolm!)
			);
		expect(out[0].holmAllPairs[0]!).toBeGreaterThan(out[0].table[0].clusteredHolm!);
	});
});
