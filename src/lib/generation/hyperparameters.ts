import { z } from 'zod';

/**
 * Each training recipe's own hyperparameters, with the defaults a run gets when the admin
 * changes nothing. Shared by the server (payload, validation) and the generation page (one
 * fieldset per chosen method). Sources are in gpu-service/README.md ("Defaults and sources").
 * Every run records the values it trained with, so two methods never share one learning rate.
 */

export const TRAINERS = [
	'dreambooth',
	'textual_inversion',
	'custom_diffusion',
	'svdiff',
	'lora'
] as const;
export type Trainer = (typeof TRAINERS)[number];

export const TRAINER_LABELS: Record<Trainer, string> = {
	dreambooth: 'DreamBooth',
	textual_inversion: 'Textual Inversion',
	custom_diffusion: 'Custom Diffusion',
	svdiff: 'SVDiff',
	lora: 'LoRA DreamBooth'
};

const rate = z.number().positive().max(1);

export const hyperparameters = z.strictObject({
	steps: z.number().int().min(1).max(100_000),
	learning_rate: rate,
	batch_size: z.number().int().min(1).max(64),
	gradient_accumulation_steps: z.number().int().min(1).max(64),
	/** diffusers' --scale_lr: x batch x accumulation (x2 for Custom Diffusion with prior). */
	scale_lr: z.boolean(),
	train_text_encoder: z.boolean(),
	prior_preservation: z.boolean(),
	prior_loss_weight: z.number().min(0).max(100),
	num_class_images: z.number().int().min(0).max(10_000),
	/** SVDiff only: the learning rate of the norm layers' spectral shifts. */
	learning_rate_1d: rate.nullable(),
	/** LoRA only: the rank of the update. */
	lora_rank: z.number().int().min(1).max(256).nullable()
});
export type Hyperparameters = z.infer<typeof hyperparameters>;

const PRIOR = { prior_preservation: true, prior_loss_weight: 1.0, num_class_images: 200 };
const NO_PRIOR = { prior_preservation: false, prior_loss_weight: 1.0, num_class_images: 0 };
const PLAIN = { gradient_accumulation_steps: 1, learning_rate_1d: null, lora_rank: null };

export const TRAINER_DEFAULTS: Record<Trainer, Hyperparameters> = {
	// SID paper C.2: batch 1, 1000 steps, text encoder trained; its learning rate is lost from
	// the text, so diffusers' DreamBooth advice for UNet + text encoder (2e-6, 200 class images).
	dreambooth: {
		...PLAIN,
		...PRIOR,
		steps: 1000,
		learning_rate: 2e-6,
		batch_size: 1,
		scale_lr: false,
		train_text_encoder: true
	},
	// diffusers' textual_inversion README: 5e-4 scaled by batch 1 x accumulation 4, 3000 steps.
	textual_inversion: {
		...PLAIN,
		...NO_PRIOR,
		steps: 3000,
		learning_rate: 5e-4,
		batch_size: 1,
		gradient_accumulation_steps: 4,
		scale_lr: true,
		train_text_encoder: false
	},
	// diffusers' custom_diffusion README: 1e-5 scaled, batch 2, 250 steps, prior with 200 images.
	custom_diffusion: {
		...PLAIN,
		...PRIOR,
		steps: 250,
		learning_rate: 1e-5,
		batch_size: 2,
		scale_lr: true,
		train_text_encoder: false
	},
	// svdiff-pytorch README (1e-3, 1e-6 for 1-D shifts, prior, text encoder) with the SID
	// paper's 1000 steps.
	svdiff: {
		...PLAIN,
		...PRIOR,
		steps: 1000,
		learning_rate: 1e-3,
		learning_rate_1d: 1e-6,
		batch_size: 1,
		scale_lr: false,
		train_text_encoder: true
	},
	// diffusers' train_dreambooth_lora README: 1e-4, 500 steps, rank 4, UNet only, no prior.
	lora: {
		...PLAIN,
		...NO_PRIOR,
		steps: 500,
		learning_rate: 1e-4,
		batch_size: 1,
		scale_lr: false,
		train_text_encoder: false,
		lora_rank: 4
	}
};

/** The learning rate the worker applies (scale_lr as diffusers' examples, one process). */
export function effectiveLearningRate(h: Hyperparameters, trainer: Trainer): number {
	if (!h.scale_lr) return h.learning_rate;
	const prior = trainer === 'custom_diffusion' && h.prior_preservation ? 2 : 1;
	return h.learning_rate * h.batch_size * h.gradient_accumulation_steps * prior;
}

/** One line for lists: "lr 5e-4 (×4 = 2e-3) · 3000 steps · batch 1×4 · rank 4 · prior". */
export function describeHyperparameters(h: Hyperparameters, trainer: Trainer): string {
	const lr = effectiveLearningRate(h, trainer);
	const parts = [
		`lr ${h.learning_rate.toExponential(0)}${lr !== h.learning_rate ? ` (scaled ${lr.toExponential(0)})` : ''}`,
		`${h.steps} steps`,
		`batch ${h.batch_size}${h.gradient_accumulation_steps > 1 ? `×${h.gradient_accumulation_steps}` : ''}`
	];
	if (h.learning_rate_1d !== null) parts.push(`1-D lr ${h.learning_rate_1d.toExponential(0)}`);
	if (h.lora_rank !== null) parts.push(`rank ${h.lora_rank}`);
	if (h.train_text_encoder) parts.push('text encoder');
	if (h.prior_preservation) parts.push(`prior ×${h.prior_loss_weight} (${h.num_class_images})`);
	return parts.join(' · ');
}

/** The hyperparameters a run recorded, back out of its stored training settings. */
export function hyperparametersOf(training: unknown): Hyperparameters | null {
	const picked = hyperparameters.safeParse(
		Object.fromEntries(
			Object.keys(hyperparameters.shape).map((k) => [
				k,
				(training as Record<string, unknown> | null)?.[k] ?? null
			])
		)
	);
	return picked.success ? picked.data : null;
}
