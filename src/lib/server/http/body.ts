import { error } from '@sveltejs/kit';
import type { z } from 'zod';

/** JSON bodies are small; anything bigger is refused before it is buffered. */
export const MAX_JSON_BYTES = 256 * 1024;

/** Reads at most `maxBytes` from a request body, refusing (413) as soon as it goes over. */
export async function readLimited(request: Request, maxBytes: number): Promise<Uint8Array> {
	const declared = Number(request.headers.get('content-length') ?? 'NaN');
	if (Number.isFinite(declared) && declared > maxBytes) tooLarge(maxBytes);
	if (!request.body) return new Uint8Array();
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		total += value.byteLength;
		if (total > maxBytes) {
			await reader.cancel();
			tooLarge(maxBytes);
		}
		chunks.push(value);
	}
	const out = new Uint8Array(total);
	let offset = 0;
	for (const c of chunks) {
		out.set(c, offset);
		offset += c.byteLength;
	}
	return out;
}

function tooLarge(maxBytes: number): never {
	error(413, `The request body is larger than ${Math.round(maxBytes / 1024)} KB.`);
}

/** Parses and validates a JSON body; every failure is a 4xx with a message a developer can act on. */
export async function readJson<S extends z.ZodType>(
	request: Request,
	schema: S,
	maxBytes = MAX_JSON_BYTES
): Promise<z.infer<S>> {
	const type = request.headers.get('content-type') ?? '';
	if (!type.includes('application/json')) error(415, 'Send the body as application/json.');
	const bytes = await readLimited(request, maxBytes);
	let value: unknown;
	try {
		value = JSON.parse(new TextDecoder().decode(bytes));
	} catch {
		error(400, 'The body is not valid JSON.');
	}
	const parsed = schema.safeParse(value);
	if (!parsed.success) {
		const first = parsed.error.issues
			.slice(0, 5)
			.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
			.join('; ');
		error(400, `Invalid body: ${first}`);
	}
	return parsed.data;
}

/** Form fields through a schema: returns either the data or the messages to show next to the form. */
export function parseForm<S extends z.ZodType>(
	form: FormData,
	schema: S
): { ok: true; data: z.infer<S> } | { ok: false; message: string } {
	const parsed = schema.safeParse(Object.fromEntries(form));
	if (parsed.success) return { ok: true, data: parsed.data };
	return { ok: false, message: parsed.error.issues.map((i) => i.message).join(' ') };
}
