import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_DATASET } from '../demo/seed';
import { parsePromptsAndClasses, type DatasetIndex } from '../subjects/dataset';
import type { SubjectKind } from '../db/schema';
import type { CommonTrainingSettings, SamplingSettings } from './payload';

/**
 * The paper's setup (Appendix C.2) shared by every method: stable-diffusion-2-1-base at 512
 * pixels; DDIM 50 steps, guidance 7.5. Each method's own hyperparameters (steps, learning
 * rate, batch, prior, text encoder...) come from TRAINER_DEFAULTS in
 * $lib/generation/hyperparameters.
 */
export const COMMON_TRAINING: Omit<CommonTrainingSettings, 'class_prompt'> = {
	model: 'stabilityai/stable-diffusion-2-1-base',
	resolution: 512,
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
