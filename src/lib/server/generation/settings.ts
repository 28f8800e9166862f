import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_DATASET } from '../demo/seed';
import { parsePromptsAndClasses, type DatasetIndex } from '../subjects/dataset';
import type { SubjectKind } from '../db/schema';
import type { SamplingSettings, TrainingSettings } from './payload';

/**
 * The paper's setup (Appendix C.2): stable-diffusion-2-1-base, DreamBooth with batch 1 for
 * 1000 iterations, text encoder trained too, prior preservation; DDIM 50 steps, guidance
 * 7.5. The paper's learning rate did not survive in its text, so we use diffusers'
 * DreamBooth recommendation for training the text encoder with the UNet (2e-6, 200 class
 * images, constant schedule).
 */
export const PAPER_TRAINING: Omit<TrainingSettings, 'class_prompt'> = {
	model: 'stabilityai/stable-diffusion-2-1-base',
	steps: 1000,
	learning_rate: 2e-6,
	batch_size: 1,
	resolution: 512,
	train_text_encoder: true,
	prior_preservation: true,
	prior_loss_weight: 1.0,
	num_class_images: 200,
	seed: 0,
	mixed_precision: 'no',
	gradient_checkpointing: false,
	use_8bit_adam: false
};

export const PAPER_SAMPLING: Omit<SamplingSettings, 'prompts' | 'seeds'> = {
	num_inference_steps: 50,
	guidance_scale: 7.5,
	negative_prompt: null
};

export const CLIP_MODEL = 'openai/clip-vit-base-patch32';

let dataset: DatasetIndex | undefined;

/** The DreamBooth dataset's 25 prompt templates for a subject kind (styles use the object list). */
export function defaultPromptTemplates(kind: SubjectKind): string[] {
	dataset ??= parsePromptsAndClasses(
		readFileSync(join(DEMO_DATASET, 'prompts_and_classes.txt'), 'utf8')
	);
	return kind === 'live' ? dataset.prompts.live : dataset.prompts.object;
}

/**
 * A template such as 'a {identifier} {class} in the snow' becomes the prompt
 * 'a sks dog in the snow' and, for the metrics, 'a dog in the snow' (the paper removes the
 * identifier from the prompt when measuring text alignment).
 */
export function expandPrompt(
	template: string,
	identifier: string,
	classNoun: string
): { prompt: string; prompt_without_identifier: string } {
	const fill = (t: string) =>
		t.replaceAll('{identifier}', identifier).replaceAll('{class}', classNoun).replace(/\s+/g, ' ');
	return {
		prompt: fill(template).trim(),
		prompt_without_identifier: fill(template.replaceAll('{identifier}', '')).trim()
	};
}
