import { describe, expect, it } from 'vitest';
import { parseGenerationForm } from './form';

function form(entries: [string, string][]): FormData {
	const f = new FormData();
	for (const [k, v] of entries) f.append(k, v);
	return f;
}

const BASE: [string, string][] = [
	['requestId', crypto.randomUUID()],
	['subjectIds', crypto.randomUUID()],
	['methodA', crypto.randomUUID()],
	['seedsPerPrompt', '2']
];

describe('the generation form', () => {
	it("reads each shown method's own hyperparameters, unticked boxes as false", () => {
		const parsed = parseGenerationForm(
			form([
				...BASE,
				['hp.textual_inversion', '1'],
				['hp.textual_inversion.learning_rate', '0.001'],
				['hp.textual_inversion.steps', '10'],
				['hp.textual_inversion.scale_lr', 'on'],
				['hp.lora', '1'],
				['hp.lora.lora_rank', '8'],
				['hp.lora.learning_rate', ''],
				['resolution', '32']
			])
		);
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		expect(parsed.data.hyperparameters).toEqual({
			textual_inversion: {
				learning_rate: 0.001,
				steps: 10,
				scale_lr: true,
				train_text_encoder: false,
				prior_preservation: false
			},
			// An empty field keeps the method's default.
			lora: { lora_rank: 8, scale_lr: false, train_text_encoder: false, prior_preservation: false }
		});
		expect(parsed.data.training).toMatchObject({ resolution: 32 });
	});

	it('refuses a bad value with the field it came from', () => {
		const parsed = parseGenerationForm(
			form([...BASE, ['hp.svdiff', '1'], ['hp.svdiff.learning_rate_1d', '-1']])
		);
		expect(parsed).toMatchObject({ ok: false });
		expect(!parsed.ok && parsed.message).toMatch(/hyperparameters\.svdiff\.learning_rate_1d/);
	});
});
