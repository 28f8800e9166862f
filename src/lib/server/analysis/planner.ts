/**
 * Sample-size planning by simulation: how many participants the headline
 * test needs for 80% / 90% power, given an effect and the participant and
 * item variation, estimated from a pilot (the study's answers so far) or
 * stated. Each point of the curve is the share of simulated studies
 * (simulate.ts, the model lme4 fits) in which the headline test rejects.
 */
import { clusteredPreference } from './clustered';
import { mulberry32 } from './random';
import { simulateStudy, type SimulationDesign } from './simulate';
import { tallyAnswers, tallyTotals, type QuestionTally } from './tally';
import type { ClusterCounts } from './clustered';

export interface PlanInputs {
	/** Share of decided answers for B (0..1). */
	share: number;
	sdParticipant: number;
	sdItem: number;
	items: number;
	perParticipant: number;
	undecided: number;
}

export interface PowerPoint {
	participants: number;
	power: number;
}

const logit = (p: number) => Math.log(p / (1 - p));

/**
 * Method-of-moments estimate of the spread on the logit scale among clusters: the variance
 * of the cluster shares beyond what binomial noise explains, scaled by the delta method.
 */
function spread(clusters: readonly ClusterCounts[], p: number): number {
	const used = clusters.filter((c) => c.a + c.b > 0);
	if (used.length < 2 || p <= 0 || p >= 1) return 0;
	let between = 0;
	let noise = 0;
	for (const c of used) {
		const d = c.a + c.b;
		between += (c.b / d - p) ** 2;
		noise += (p * (1 - p)) / d;
	}
	const excess = Math.max(0, (between - noise) / (used.length - 1));
	return Math.sqrt(excess) / (p * (1 - p));
}

/** The planner's inputs from a pilot: one question's tallies and the survey's design. */
export function pilotInputs(
	tally: QuestionTally,
	items: number,
	perParticipant: number
): PlanInputs | null {
	const { a, b, u } = tallyTotals(tally);
	if (a + b === 0) return null;
	// Keep the share off 0 and 1 so the logit stays finite (add half an answer each side).
	const share = (b + 0.5) / (a + b + 1);
	return {
		share,
		sdParticipant: spread(tally.participants, share),
		sdItem: spread(tally.items, share),
		items,
		perParticipant,
		undecided: u / (a + b + u)
	};
}

/** Power of the headline test at α = 0.05 for each number of participants. */
export function powerCurve(
	inputs: PlanInputs,
	sizes: readonly number[],
	{ sims = 100, seed = 1, alpha = 0.05 } = {}
): PowerPoint[] {
	const seeds = mulberry32(seed);
	return sizes.map((participants) => {
		const design: SimulationDesign = {
			participants,
			items: inputs.items,
			perParticipant: inputs.perParticipant,
			effect: logit(inputs.share),
			sdParticipant: inputs.sdParticipant,
			sdItem: inputs.sdItem,
			undecided: inputs.undecided
		};
		let hits = 0;
		for (let s = 0; s < sims; s++) {
			const [t] = tallyAnswers(['overall'], simulateStudy(design, Math.floor(seeds() * 2 ** 32)));
			const p = clusteredPreference(t.participants, t.items).p;
			if (p !== null && p < alpha) hits++;
		}
		return { participants, power: hits / sims };
	});
}

/** The smallest number of participants on the curve reaching the target power, or null. */
export function participantsFor(curve: readonly PowerPoint[], target: number): number | null {
	return curve.find((x) => x.power >= target)?.participants ?? null;
}
