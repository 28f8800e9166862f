// A local OpenAI-compatible server for tests: it speaks POST /v1/chat/completions over real
// HTTP, so the real `openai` SDK is exercised. Replies are scripted per class noun (read from
// the instruction text), which keeps concurrent jobs apart.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Step = 'ok' | '429' | '500' | 'hang' | 'refuse' | 'malformed' | 'badshape';

export interface FakeRequest {
	at: number;
	classNoun: string;
	model: string;
	body: Record<string, unknown>;
}

export const USAGE = { prompt_tokens: 1000, completion_tokens: 60, total_tokens: 1060 };

/** The structured reply the real model is asked for (vlm/reply.ts), scripted per class noun. */
export function sidFor(classNoun: string) {
	return {
		undesired_objects: [
			{ relation: 'sitting on', class_name: 'a sofa', details: 'a blue velvet sofa' },
			{ relation: 'next to', class_name: 'a cushion', details: 'a red striped cushion' }
		],
		background: { relation: '', class_name: '', details: '' },
		subject_description: `that is a fluffy ${classNoun}`
	};
}

export interface FakeVlm {
	url: string;
	requests: FakeRequest[];
	script: Map<string, Step[]>;
	/** Milliseconds to wait before every normal reply (the crash test kills the app meanwhile). */
	delayMs: number;
	close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const c of req) chunks.push(c as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

function completion(model: string, message: Record<string, unknown>, usage = USAGE) {
	return {
		id: `chatcmpl-${crypto.randomUUID()}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model,
		choices: [
			{
				index: 0,
				finish_reason: 'stop',
				logprobs: null,
				message: { role: 'assistant', ...message }
			}
		],
		usage
	};
}

export async function startFakeVlm(script: Record<string, Step[]> = {}): Promise<FakeVlm> {
	const sockets = new Set<import('node:net').Socket>();
	const fake: FakeVlm = {
		url: '',
		requests: [],
		script: new Map(Object.entries(script)),
		delayMs: 0,
		close: async () => {
			for (const s of sockets) s.destroy();
			await new Promise((r) => server.close(r));
		}
	};
	const send = (
		res: ServerResponse,
		status: number,
		body: unknown,
		headers: Record<string, string> = {}
	) => {
		res.writeHead(status, { 'content-type': 'application/json', ...headers });
		res.end(JSON.stringify(body));
	};
	const server: Server = createServer(async (req, res) => {
		if (req.method !== 'POST' || req.url !== '/v1/chat/completions')
			return send(res, 404, { error: { message: 'not found' } });
		const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
		const text = JSON.stringify(body.messages);
		const m =
			/subject of interest is a ([^.]+?)\./.exec(text) ??
			/You should not describe the (?:style of the )?([a-z ]+?) itself/.exec(text) ??
			/image shows a ([a-z ]+?)\./.exec(text) ??
			/meant to name the ([a-z ]+?) only/.exec(text);
		const classNoun = m?.[1] ?? 'unknown';
		const model = String(body.model);
		fake.requests.push({ at: Date.now(), classNoun, model, body });
		const step = fake.script.get(classNoun)?.shift() ?? 'ok';
		switch (step) {
			case '429':
				return send(
					res,
					429,
					{ error: { message: 'Rate limit reached', type: 'rate_limit_error' } },
					{ 'retry-after': '1' }
				);
			case '500':
				return send(res, 500, {
					error: { message: 'The server had an error', type: 'server_error' }
				});
			case 'hang':
				return; // never answers; the client's timeout must end it
			case 'refuse':
				return send(
					res,
					200,
					completion(model, { content: null, refusal: "I'm sorry, I can't help with that." })
				);
			case 'malformed':
				return send(
					res,
					200,
					completion(model, { content: '{"sid": "a {subject} on a sofa", ', refusal: null })
				);
			case 'badshape':
				return send(
					res,
					200,
					completion(model, { content: JSON.stringify({ caption: 'a dog' }), refusal: null })
				);
			default:
				if (text.includes('describe the appearance of the')) {
					// The second selectivity pass: a verdict on the quoted SID.
					const fluffy = /fluffy|fur\b/.test(text);
					const reply = { describes_subject: fluffy, words: fluffy ? 'fluffy' : '' };
					return send(
						res,
						200,
						completion(model, { content: JSON.stringify(reply), refusal: null })
					);
				}
				if (text.includes('facial expression')) {
					const reply = { expression: 'with its tongue out' };
					return send(
						res,
						200,
						completion(model, { content: JSON.stringify(reply), refusal: null })
					);
				}
				if (fake.delayMs) await new Promise((r) => setTimeout(r, fake.delayMs));
				return send(
					res,
					200,
					completion(model, { content: JSON.stringify(sidFor(classNoun)), refusal: null })
				);
		}
	});
	server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
	return fake;
}
