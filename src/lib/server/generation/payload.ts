import { z } from 'zod';
import { TRAINERS, hyperparameters, type Trainer } from '$lib/generation/hyperparameters';

/**
 * The `dreambooth_run` job payload of docs/WORKER_API.md. The app validates what it builds
 * against the same rules the worker enforces, so a bad run is refused in the form, not
 * discovered on a GPU node an hour later.
 */

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const seed = z
	.number()
	.int()
	.min(0)
	.max(2 ** 53 - 1);

export { TRAINERS, type Trainer };

/** Settings every method shares; the method's own hyperparameters are merged in beside them. */
export const commonTrainingSettings = z.strictObject({
	model: z.string().trim().min(1).max(300),
	resolution: z.number().int().min(8).max(2048).multipleOf(8, 'The resolution is a multiple of 8.'),
	class_prompt: z.string().max(300),
	seed,
	mixed_precision: z.enum(['no', 'fp16', 'bf16']),
	gradient_checkpointing: z.boolean(),
	use_8bit_adam: z.boolean()
});

export type CommonTrainingSettings = z.infer<typeof commonTrainingSettings>;

export const trainingSettings = z.strictObject({
	...commonTrainingSettings.shape,
	...hyperparameters.shape
});
export type TrainingSettings = z.infer<typeof trainingSettings>;

export const samplingSettings = z.strictObject({
	prompts: z
		.array(
			z.strictObject({
				prompt: z.string().min(1).max(1000),
				prompt_without_identifier: z.string().min(1).max(1000)
			})
		)
		.min(1)
		.max(500),
	seeds: z.array(seed).min(1).max(100),
	num_inference_steps: z.number().int().min(1).max(1000),
	guidance_scale: z.number().min(0).max(50),
	negative_prompt: z.string().max(1000).nullable()
});
export type SamplingSettings = z.infer<typeof samplingSettings>;

export const SEGMENTATIONS = ['uploaded_masks', 'grounded_sam', 'none'] as const;

export const metricsSettings = z.strictObject({
	enabled: z.boolean(),
	clip_model: z.string().min(1).max(300),
	segmentation: z.enum(SEGMENTATIONS)
});

/** True when `word` occurs in `text` as a whole whitespace-separated word. */
export function containsWord(text: string, word: string): boolean {
	return text.split(/\s+/).includes(word);
}

export const runPayload = z
	.strictObject({
		run_id: z.uuid(),
		method: z.enum(TRAINERS),
		description_case: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
		subject: z.strictObject({
			id: z.uuid(),
			name: z.string().min(1),
			class_noun: z.string().min(1),
			identifier: z.string().regex(/^\S+$/),
			kind: z.enum(['object', 'live', 'style'])
		}),
		reference_images: z
			.array(
				z.strictObject({
					sha256,
					url: z.string().min(1),
					caption: z.string().min(1),
					mask_sha256: sha256.nullable()
				})
			)
			.min(1),
		training: trainingSettings,
		sampling: samplingSettings,
		metrics: metricsSettings,
		attention_maps: z.boolean()
	})
	.superRefine((p, ctx) => {
		const id = p.subject.identifier;
		p.reference_images.forEach((r, i) => {
			if (!containsWord(r.caption, id)) {
				ctx.addIssue({
					code: 'custom',
					path: ['reference_images', i, 'caption'],
					message: `the caption does not contain the identifier "${id}"`
				});
			}
		});
		for (const pr of p.sampling.prompts) {
			if (containsWord(pr.prompt_without_identifier, id)) {
				ctx.addIssue({
					code: 'custom',
					path: ['sampling', 'prompts'],
					message: `"${pr.prompt_without_identifier}" still contains the identifier`
				});
			}
		}
		if (new Set(p.sampling.prompts.map((x) => x.prompt)).size !== p.sampling.prompts.length) {
			ctx.addIssue({ code: 'custom', path: ['sampling', 'prompts'], message: 'prompts repeat' });
		}
		if (new Set(p.sampling.seeds).size !== p.sampling.seeds.length) {
			ctx.addIssue({ code: 'custom', path: ['sampling', 'seeds'], message: 'seeds repeat' });
		}
		for (const [field, owner] of [
			['learning_rate_1d', 'svdiff'],
			['lora_rank', 'lora']
		] as const) {
			if ((p.training[field] !== null) !== (p.method === owner)) {
				ctx.addIssue({
					code: 'custom',
					path: ['training', field],
					message: p.method === owner ? `${owner} needs ${field}` : `only ${owner} takes ${field}`
				});
			}
		}
		if (
			p.training.prior_preservation &&
			(p.training.num_class_images < 1 || !p.training.class_prompt.trim())
		) {
			ctx.addIssue({
				code: 'custom',
				path: ['training'],
				message: 'prior preservation needs class images and a class prompt'
			});
		}
		if (
			p.metrics.enabled &&
			p.metrics.segmentation === 'uploaded_masks' &&
			p.reference_images.some((r) => r.mask_sha256 === null)
		) {
			ctx.addIssue({
				code: 'custom',
				path: ['metrics', 'segmentation'],
				message: 'uploaded_masks needs a mask for every reference image'
			});
		}
	});
export type RunPayload = z.infer<typeof runPayload>;
