import OpenAI, { APIConnectionTimeoutError, APIError } from 'openai';
import { config } from '../config';
import { PermanentJobError, RetryLaterError } from '../jobs';

export interface VlmSettings {
	apiKey: string;
	baseURL?: string;
	model: string;
	timeoutMs: number;
}

export function vlmSettings(): VlmSettings {
	const c = config();
	if (!c.OPENAI_API_KEY)
		throw new PermanentJobError('OPENAI_API_KEY is not set, so no VLM can be called.');
	return {
		apiKey: c.OPENAI_API_KEY,
		baseURL: c.OPENAI_BASE_URL,
		model: c.VLM_MODEL,
		timeoutMs: c.VLM_TIMEOUT_MS
	};
}

/**
 * The SDK's own retries are off (maxRetries 0): the durable job queue is the one place that
 * retries, with backoff that survives a restart and honours Retry-After. Two layers of retries
 * would multiply the attempts and hide them from the queue's attempt count.
 */
export function vlmClient(s: VlmSettings): OpenAI {
	return new OpenAI({ apiKey: s.apiKey, baseURL: s.baseURL, timeout: s.timeoutMs, maxRetries: 0 });
}

export interface Usage {
	promptTokens: number;
	completionTokens: number;
	totalTokens: number;
}

export interface VlmResult {
	json: unknown;
	usage: Usage;
}

/** A reply that retrying cannot fix; the usage is kept because the call was still billed. */
export class VlmReplyError extends PermanentJobError {
	constructor(
		message: string,
		readonly usage: Usage
	) {
		super(message);
	}
}

/** One structured call with an image given as a data URL. */
export async function askVlm(
	client: OpenAI,
	s: VlmSettings,
	opts: {
		instruction: string;
		imageDataUrl: string;
		schema: { name: string; strict: boolean; schema: object };
		signal?: AbortSignal;
	}
): Promise<VlmResult> {
	const completion = await client.chat.completions.create(
		{
			model: s.model,
			temperature: 0.2,
			messages: [
				{
					role: 'user',
					content: [
						{ type: 'text', text: opts.instruction },
						{ type: 'image_url', image_url: { url: opts.imageDataUrl } }
					]
				}
			],
			response_format: {
				type: 'json_schema',
				json_schema: { ...opts.schema, schema: opts.schema.schema as Record<string, unknown> }
			}
		},
		{ signal: opts.signal }
	);
	const usage: Usage = {
		promptTokens: completion.usage?.prompt_tokens ?? 0,
		completionTokens: completion.usage?.completion_tokens ?? 0,
		totalTokens: completion.usage?.total_tokens ?? 0
	};
	const message = completion.choices[0]?.message;
	if (message?.refusal) throw new VlmReplyError(`The model refused: ${message.refusal}`, usage);
	const content = message?.content ?? '';
	try {
		return { json: JSON.parse(content), usage };
	} catch {
		throw new VlmReplyError(`The model's reply is not valid JSON: ${content.slice(0, 200)}`, usage);
	}
}

/** Maps SDK errors to the queue's vocabulary: wait, retry with backoff, or give up. */
export function classifyVlmError(e: unknown): Error {
	if (e instanceof PermanentJobError || e instanceof RetryLaterError) return e;
	if (e instanceof APIConnectionTimeoutError)
		return new Error('The VLM call timed out; it will be retried.');
	if (e instanceof APIError) {
		const status = e.status ?? 0;
		if (status === 429) {
			return new RetryLaterError('The VLM is rate limited (429).', retryAfterSeconds(e.headers));
		}
		if (status >= 500 || status === 408 || status === 409) {
			return new Error(`The VLM server failed (${status}); it will be retried.`);
		}
		if (status >= 400)
			return new PermanentJobError(`The VLM rejected the request (${status}): ${e.message}`);
		return new Error(`Could not reach the VLM: ${e.message}`);
	}
	return e instanceof Error ? e : new Error(String(e));
}

function retryAfterSeconds(headers: Headers | undefined): number {
	const raw = headers?.get('retry-after-ms');
	if (raw && Number.isFinite(Number(raw))) return Math.max(0.1, Number(raw) / 1000);
	const v = headers?.get('retry-after');
	if (v) {
		const n = Number(v);
		if (Number.isFinite(n)) return Math.max(0, n);
		const at = Date.parse(v);
		if (Number.isFinite(at)) return Math.max(0, (at - Date.now()) / 1000);
	}
	return 30;
}
