import { describe, expect, it } from 'vitest';
import {
	TRAINERS,
	TRAINER_DEFAULTS,
	describeHyperparameters,
	effectiveLearningRate,
	hyperparameters,
	hyperparametersOf
} from './hyperparameters';

describe('per-method hyperparameters', () => {
	it('gives every method valid defaults of its own', () => {
		for (const t of TRAINERS)
			expect(hyperparameters.parse(TRAINER_DEFAULTS[t])).toEqual(TRAINER_DEFAULTS[t]);
		const rates = TRAINERS.map((t) => TRAINER_DEFAULTS[t].learning_rate);
		expect(new Set(rates).size).toBe(TRAINERS.length);
		expect(TRAINER_DEFAULTS.svdiff.learning_rate_1d).toBe(1e-6);
		expect(TRAINER_DEFAULTS.lora.lora_rank).toBe(4);
		expect(
			TRAINERS.filter((t) => t !== 'svdiff').every(
				(t) => TRAINER_DEFAULTS[t].learning_rate_1d === null
			)
		).toBe(true);
	});

	it('scales the learning rate as the diffusers examples do', () => {
		// textual_inversion README: 5e-4 x batch 1 x accumulation 4
		expect(
			effectiveLearningRate(TRAINER_DEFAULTS.textual_inversion, 'textual_inversion')
		).toBeCloseTo(2e-3);
		// custom_diffusion README: 1e-5 x batch 2, x2 with prior preservation
		expect(
			effectiveLearningRate(TRAINER_DEFAULTS.custom_diffusion, 'custom_diffusion')
		).toBeCloseTo(4e-5);
		expect(effectiveLearningRate(TRAINER_DEFAULTS.dreambooth, 'dreambooth')).toBe(2e-6);
	});

	it('reads a run back from its stored settings and describes it', () => {
		const stored = { model: 'm', resolution: 512, class_prompt: 'a dog', ...TRAINER_DEFAULTS.lora };
		const h = hyperparametersOf(stored);
		expect(h).toEqual(TRAINER_DEFAULTS.lora);
		expect(describeHyperparameters(h!, 'lora')).toBe('lr 1e-4 · 500 steps · batch 1 · rank 4');
		expect(describeHyperparameters(TRAINER_DEFAULTS.textual_inversion, 'textual_inversion')).toBe(
			'lr 5e-4 (scaled 2e-3) · 3000 steps · batch 1×4'
		);
		// A run stored before methods had their own settings shows none rather than a guess.
		expect(hyperparametersOf({ steps: 1000, learning_rate: 2e-6 })).toBeNull();
	});
});
