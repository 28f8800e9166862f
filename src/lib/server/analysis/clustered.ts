/**
 * Inference that respects who answered what. Each participant answers many
 * items and each item is judged by many participants, so answers are
 * correlated along two crossed dimensions. Everything here works on
 * per-cluster counts (per participant, per item), which the database
 * aggregates, never on raw answers.
 */
import erfc from '@stdlib/math-base-special-erfc';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** Counts of one cluster (a participant or an item) for one question. */
export interface ClusterCounts {
	key: string;
	a: number;
	b: number;
	undecided: number;
}

export interface SignFlipTest {
	/** Two-sided p-value of "no preference"; null when no cluster has an answer. */
	p: number | null;
	/** Clusters with a non-zero score (b − a); the others carry no information. */
	informative: number;
	method: 'exact' | 'normal';
}

/** Above this many (cluster × support) steps the exact distribution is replaced by its normal limit. */
const EXACT_WORK = 1e7;

/**
 * Sign-flip randomization test (Fisher 1935; Good 2005) of the cluster
 * scores s_g = b_g − a_g. Under "no preference" a cluster's score is as likely
 * to be s as −s, so T = Σ s_g is compared with its distribution over all 2^G
 * sign flips. Integer scores let the exact distribution be built by
 * convolution; with many clusters it is replaced by the normal law with the
 * same (exact) variance Σ s_g² and a continuity correction, which the central limit theorem makes
 * indistinguishable at that size. With every score ±1 this is the exact
 * binomial sign test on clusters.
 */
export function signFlipTest(clusters: readonly ClusterCounts[]): SignFlipTest {
	if (clusters.length === 0) return { p: null, informative: 0, method: 'exact' };
	const scores = clusters.map((c) => Math.abs(c.b - c.a)).filter((s) => s !== 0);
	const t = Math.abs(clusters.reduce((s, c) => s + c.b - c.a, 0));
	const total = scores.reduce((s, x) => s + x, 0);
	if (scores.length === 0) return { p: 1, informative: 0, method: 'exact' };
	if (scores.length * (2 * total + 1) > EXACT_WORK) {
		// T moves in steps of 2 as signs flip: half a step of continuity correction.
		const sd = Math.sqrt(scores.reduce((s, x) => s + x * x, 0));
		const z = Math.max(0, t - 1) / sd;
		return { p: Math.min(1, erfc(z / Math.SQRT2)), informative: scores.length, method: 'normal' };
	}
	// dist[v + total] = P(Σ ε_g s_g = v), built one cluster at a time over the reachable range.
	let dist = new Float64Array(2 * total + 1);
	dist[total] = 1;
	let reach = 0;
	for (const s of scores) {
		const next = new Float64Array(dist.length);
		for (let v = total - reach; v <= total + reach; v++) {
			const pv = dist[v];
			if (pv === 0) continue;
			next[v + s] += pv / 2;
			next[v - s] += pv / 2;
		}
		reach += s;
		dist = next;
	}
	let p = 0;
	for (let v = 0; v < dist.length; v++) if (Math.abs(v - total) >= t) p += dist[v];
	return { p: Math.min(1, p), informative: scores.length, method: 'exact' };
}

export interface TwoWayInterval {
	estimate: number | null;
	lo: number | null;
	hi: number | null;
	/** Standard error of the estimate, two-way cluster-robust. */
	se: number | null;
	/** Degrees of freedom of the t quantile: min(participants, items) − 1. */
	df: number | null;
}

/** Which answers count in the denominator: decided ones only, or all (undecided too). */
type Base = 'decided' | 'all';
const size = (c: ClusterCounts, base: Base) => c.a + c.b + (base === 'all' ? c.undecided : 0);

/** Σ_g (b_g − p n_g)²: the cluster sums of the ratio estimator's residuals, squared. */
function clusterSquares(clusters: readonly ClusterCounts[], p: number, base: Base): number {
	let s = 0;
	for (const c of clusters) {
		const e = c.b - p * size(c, base);
		s += e * e;
	}
	return s;
}

/**
 * 95% interval for b's share (of decided answers, or of all answers), with
 * the two-way cluster-robust variance of Cameron, Gelbach & Miller (2011):
 * V = V_participant + V_item − V_answer, each a sandwich sum of residuals
 * over its clusters, with the small-sample factor G/(G−1), and never smaller
 * than either one-way variance (their advice where the difference is
 * small). Each (participant, item, question) has at most one answer, so
 * V_answer comes from the totals. The t quantile with min(G) − 1 degrees of
 * freedom follows their recommendation for few clusters. Clipped to [0, 1].
 */
export function twoWayInterval(
	participants: readonly ClusterCounts[],
	items: readonly ClusterCounts[],
	base: Base = 'decided',
	level = 0.95
): TwoWayInterval {
	let b = 0;
	let n = 0;
	for (const c of participants) {
		b += c.b;
		n += size(c, base);
	}
	if (n === 0) return { estimate: null, lo: null, hi: null, se: null, df: null };
	const p = b / n;
	const gp = participants.filter((c) => size(c, base) > 0).length;
	const gi = items.filter((c) => size(c, base) > 0).length;
	const df = Math.min(gp, gi) - 1;
	if (df < 1) return { estimate: p, lo: null, hi: null, se: null, df: null };
	const vp = ((gp / (gp - 1)) * clusterSquares(participants, p, base)) / (n * n);
	const vi = ((gi / (gi - 1)) * clusterSquares(items, p, base)) / (n * n);
	const vAnswers = (b * (1 - p) ** 2 + (n - b) * p * p) / (n * n);
	const v = Math.max(vp + vi - vAnswers, vp, vi);
	const se = Math.sqrt(v);
	const half = tQuantile(1 - (1 - level) / 2, df) * se;
	return { estimate: p, lo: Math.max(0, p - half), hi: Math.min(1, p + half), se, df };
}

export interface ClusteredPreference {
	/** Headline p: the larger of the participant-level and item-level sign-flip p-values. */
	p: number | null;
	byParticipant: SignFlipTest;
	byItem: SignFlipTest;
	/** Headline interval for b's share of decided answers. */
	decided: TwoWayInterval;
	/** The same for b's share of all answers (undecided in the denominator), as Table B.2 counts. */
	all: TwoWayInterval;
}

/**
 * The headline test asks that a preference generalise over both random
 * factors: the sign-flip test treating participants as the units, and the
 * same test treating items as the units, must both reject (the p-value is
 * the larger of the two). This is the logic of Clark's (1973) min F′ for
 * crossed designs, in a distribution-free form: whichever dimension carries
 * the correlation, the test on that dimension alone keeps its level, and
 * requiring both can only lower the false-positive rate.
 */
export function clusteredPreference(
	participants: readonly ClusterCounts[],
	items: readonly ClusterCounts[]
): ClusteredPreference {
	const byParticipant = signFlipTest(participants);
	const byItem = signFlipTest(items);
	const p =
		byParticipant.p === null || byItem.p === null ? null : Math.max(byParticipant.p, byItem.p);
	return {
		p,
		byParticipant,
		byItem,
		decided: twoWayInterval(participants, items, 'decided'),
		all: twoWayInterval(participants, items, 'all')
	};
}
