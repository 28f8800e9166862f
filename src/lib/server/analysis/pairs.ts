/**
 * Table B.2 and the headline statistics for every pair of methods of a study
 * of k ≥ 3 methods. Each pair is summarised by `summarizeStudy` from that
 * pair's items only, exactly as a two-method study is (Holm across the
 * questions within the pair). Because k methods give k(k−1)/2 pairs, each
 * headline p is also Holm-adjusted over every pair × question test of the
 * study, which is the figure to quote when claiming any pair differs.
 */
import type { BootstrapOptions } from './bootstrap';
import { holm } from './multiple';
import { summarizeStudy, type QuestionSummary } from './preferences';
import type { QuestionTally } from './tally';

export interface PairSummary<M> {
	/** [a, b]: a is the method earlier in the study's order; shares of b are reported. */
	methods: [M, M];
	table: QuestionSummary[];
	/** Headline p per question, Holm-adjusted over all pairs × questions; parallel to `table`. */
	holmAllPairs: (number | null)[];
}

/** Every unordered pair (i < j) in the given order: [m0,m1], [m0,m2], …, [m1,m2], … */
export function methodPairs<M>(methods: readonly M[]): [M, M][] {
	const out: [M, M][] = [];
	for (let i = 0; i < methods.length; i++)
		for (let j = i + 1; j < methods.length; j++) out.push([methods[i], methods[j]]);
	return out;
}

export function summarizePairs<M>(
	pairs: readonly { methods: [M, M]; tallies: readonly QuestionTally[] }[],
	bootstrap: BootstrapOptions = {}
): PairSummary<M>[] {
	const tables = pairs.map((p) => summarizeStudy(p.tallies, bootstrap));
	const adjusted = holm(tables.flatMap((t) => t.map((q) => q.clustered.p)));
	let k = 0;
	return tables.map((table, i) => ({
		methods: pairs[i].methods,
		table,
		holmAllPairs: table.map(() => adjusted[k++])
	}));
}
