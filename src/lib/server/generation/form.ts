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
			steps: num(form, 'steps'),
			learning_rate: num(form, 'learningRate'),
			resolution: num(form, 'resolution'),
			num_class_images: num(form, 'numClassImages'),
			seed: num(form, 'trainingSeed'),
			mixed_precision: text(form, 'mixedPrecision'),
			train_text_encoder: form.has('trainTextEncoder'),
			prior_preservation: form.has('priorPreservation'),
			gradient_checkpointing: form.has('gradientCheckpointing'),
			use_8bit_adam: form.has('use8bitAdam')
		}),
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
