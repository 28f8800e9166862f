/**
 * Simulated pairwise studies with known participant and item variation, for
 * the false-positive checks, the lme4 comparison and the sample-size
 * planner. The model is the one lme4 fits:
 *   logit P(b | decided) = effect + u_participant + v_item,
 *   u ~ N(0, sdParticipant²), v ~ N(0, sdItem²),
 * with a fixed chance of an undecided answer. Each participant sees
 * `perParticipant` distinct items drawn at random, as assign.ts does.
 */
import { mulberry32 } from './random';
import type { PairAnswer } from './tally';

export interface SimulationDesign {
	participants: number;
	items: number;
	perParticipant: number;
	/** Fixed effect on the logit scale (0: no preference). */
	effect: number;
	sdParticipant: number;
	sdItem: number;
	undecided?: number;
	question?: string;
}

/** Standard normal draws by Box-Muller from a seeded uniform generator. */
export function normalDraws(rng: () => number): () => number {
	return () => {
		const u = 1 - rng();
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
	};
}

export function simulateStudy(design: SimulationDesign, seed: number): PairAnswer[] {
	const rng = mulberry32(seed);
	const normal = normalDraws(rng);
	const question = design.question ?? 'overall';
	const itemEffect = Array.from({ length: design.items }, () => design.sdItem * normal());
	const out: PairAnswer[] = [];
	const order = Array.from({ length: design.items }, (_, i) => i);
	for (let p = 0; p < design.participants; p++) {
		const u = design.sdParticipant * normal();
		// Partial Fisher-Yates: the first perParticipant entries are a random subset.
		for (let k = 0; k < Math.min(design.perParticipant, design.items); k++) {
			const j = k + Math.floor(rng() * (design.items - k));
			[order[k], order[j]] = [order[j], order[k]];
			const item = order[k];
			const participant = `P${String(p).padStart(4, '0')}`;
			const unit = `I${String(item).padStart(4, '0')}`;
			if (rng() < (design.undecided ?? 0)) {
				out.push({ participant, unit, question, choice: 'undecided', side: null });
				continue;
			}
			const eta = design.effect + u + itemEffect[item];
			const b = rng() < 1 / (1 + Math.exp(-eta));
			out.push({
				participant,
				unit,
				question,
				choice: b ? 'b' : 'a',
				side: rng() < 0.5 ? 'left' : 'right'
			});
		}
	}
	return out;
}
