import { TRAINERS } from '$lib/generation/hyperparameters';
import { generationRequest, type GenerationRequest } from './runs';

/** Empty inputs mean "keep the paper's default", not zero. */
function num(form: FormData, name: string): number | undefined {
	const v = String(form.get(name) ?? '').trim();
	return v === '' ? undefined : Number(v);
}

function text(form: FormData, name: string): string | undefined {
	const v = String(form.get(name) ?? '').trim();
	return v === '' ? undefined : v;
}

function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
	return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Each chosen method's fieldset posts `hp.<trainer>` (that it was shown) and its fields as
 * `hp.<trainer>.<name>`; a method whose fieldset was not shown keeps its defaults. Unticked
 * checkboxes post nothing, hence the marker.
 */
function methodHyperparameters(form: FormData) {
	const out: Record<string, Record<string, unknown>> = {};
	for (const trainer of TRAINERS) {
		const p = `hp.${trainer}`;
		if (!form.has(p)) continue;
		out[trainer] = defined({
			steps: num(form, `${p}.steps`),
			learning_rate: num(form, `${p}.learning_rate`),
			batch_size: num(form, `${p}.batch_size`),
			gradient_accumulation_steps: num(form, `${p}.gradient_accumulation_steps`),
			scale_lr: form.has(`${p}.scale_lr`),
			train_text_encoder: form.has(`${p}.train_text_encoder`),
			prior_preservation: form.has(`${p}.prior_preservation`),
			prior_loss_weight: num(form, `${p}.prior_loss_weight`),
			num_class_images: num(form, `${p}.num_class_images`),
			learning_rate_1d: num(form, `${p}.learning_rate_1d`),
			lora_rank: num(form, `${p}.lora_rank`)
		});
	}
	return out;
}

/** The "Generate comparison images" form, through the same schema the module enforces. */
export function parseGenerationForm(
	form: FormData
): { ok: true; data: GenerationRequest } | { ok: false; message: string } {
	const methodA = text(form, 'methodA');
	const methodB = text(form, 'methodB');
	if (methodA && methodA === methodB) {
		return { ok: false, message: 'Pick two different methods to compare.' };
	}
	const customPrompts = String(form.get('prompts') ?? '')
		.split(/\r?\n/)
		.map((l) => l.trim())
		.filter(Boolean);
	const raw = {
		requestId: form.get('requestId'),
		subjectIds: form.getAll('subjectIds'),
		methodIds: [methodA, methodB].filter(Boolean),
		prompts: form.get('promptSet') === 'custom' ? customPrompts : undefined,
		seedsPerPrompt: num(form, 'seedsPerPrompt'),
		training: defined({
			model: text(form, 'model'),
			resolution: num(form, 'resolution'),
			seed: num(form, 'trainingSeed'),
			mixed_precision: text(form, 'mixedPrecision'),
			gradient_checkpointing: form.has('gradientCheckpointing'),
			use_8bit_adam: form.has('use8bitAdam')
		}),
		hyperparameters: methodHyperparameters(form),
		sampling: defined({
			num_inference_steps: num(form, 'inferenceSteps'),
			guidance_scale: num(form, 'guidanceScale'),
			negative_prompt: text(form, 'negativePrompt') ?? null
		}),
		metrics: text(form, 'metrics'),
		attentionMaps: form.has('attentionMaps')
	};
	const parsed = generationRequest.safeParse(raw);
	if (parsed.success) return { ok: true, data: parsed.data };
	const first = parsed.error.issues
		.slice(0, 3)
		.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`);
	return { ok: false, message: first.join(' ') };
}
