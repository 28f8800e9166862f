import type { Db } from '../db';
import { makeImage } from './images';
import { addReferenceImages, createSubject } from '../subjects/subjects';
import { listGpuMethods, BASELINE_METHOD, SID_METHOD } from '../generation/methods';
import { createComparisonRuns, type GenerationRequest } from '../generation/runs';
import { TRAINERS } from '$lib/generation/hyperparameters';
import { fakeEvent } from './http';

// Each route's handler has its own RequestEvent type; tests call them all alike.
type Handler = (event: never) => Response | Promise<Response>;

/**
 * Calls a worker endpoint the way adapter-node would: a real Request with the bearer token,
 * a JSON (or raw) body and the route params, and an optional abort signal.
 */
export async function callWorker(
	handler: Handler,
	opts: {
		token?: string | null;
		method?: string;
		params?: Record<string, string>;
		json?: unknown;
		raw?: BodyInit | Uint8Array;
		headers?: Record<string, string>;
		signal?: AbortSignal;
	}
): Promise<{ status: number; body: Record<string, unknown> | null; bytes: Buffer }> {
	const event = fakeEvent({ method: opts.method ?? 'POST', params: opts.params });
	const headers: Record<string, string> = { ...opts.headers };
	if (opts.token) headers.authorization = `Bearer ${opts.token}`;
	let body = (opts.raw instanceof Uint8Array ? new Uint8Array(opts.raw) : opts.raw) as
		BodyInit | undefined;
	if (opts.json !== undefined) {
		body = JSON.stringify(opts.json);
		headers['content-type'] ??= 'application/json';
	}
	(event as { request: Request }).request = new Request(event.url, {
		method: opts.method ?? 'POST',
		headers,
		body,
		signal: opts.signal
	});
	const res = await handler(event as never);
	const bytes = Buffer.from(await res.arrayBuffer());
	let parsed: Record<string, unknown> | null = null;
	if ((res.headers.get('content-type') ?? '').includes('json') && bytes.length) {
		parsed = JSON.parse(bytes.toString('utf8'));
	}
	return { status: res.status, body: parsed, bytes };
}

/** A subject with `images` small reference images, and the default methods. */
export async function subjectWithImages(db: Db, name: string, images = 2) {
	const subject = await createSubject(db, {
		name,
		classNoun: 'dog',
		identifier: 'sks',
		kind: 'live'
	});
	await addReferenceImages(
		db,
		subject.id,
		await Promise.all(
			Array.from({ length: images }, async (_, i) => ({
				name: `${name}-${i}.png`,
				bytes: await makeImage('png', 32, { r: 10 * i, g: 100, b: 200 })
			}))
		)
	);
	const methods = await listGpuMethods(db);
	return {
		subject,
		baseline: methods.find((m) => m.name === BASELINE_METHOD)!,
		sid: methods.find((m) => m.name === SID_METHOD)!
	};
}

/** A small, valid request: two prompts x two seeds, tiny settings. */
export function smallRequest(over: Partial<GenerationRequest> = {}): GenerationRequest {
	return {
		requestId: crypto.randomUUID(),
		subjectIds: [],
		methodIds: [],
		prompts: ['a {identifier} {class} in the snow', 'a {identifier} {class} on the beach'],
		seedsPerPrompt: 2,
		training: { resolution: 32 },
		// Tiny runs of every method; each keeps its own learning rate and other defaults.
		hyperparameters: Object.fromEntries(
			TRAINERS.map((t) => [t, { steps: 2, num_class_images: 2 }])
		),
		sampling: { num_inference_steps: 2 },
		metrics: 'none',
		attentionMaps: true,
		...over
	};
}

export async function queueBaselineRun(db: Db, name: string): Promise<string> {
	const { subject, baseline } = await subjectWithImages(db, name);
	const [runId] = await createComparisonRuns(
		db,
		smallRequest({ subjectIds: [subject.id], methodIds: [baseline.id] }),
		null
	);
	return runId;
}
