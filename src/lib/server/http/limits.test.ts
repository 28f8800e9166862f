import { describe, expect, it } from 'vitest';
import { isHttpError, type RequestEvent } from '@sveltejs/kit';
import {
	ADMIN_UPLOAD_BYTES,
	SIGNED_IN_BODY_BYTES,
	SMALL_BODY_BYTES,
	bodyLimit,
	bodyLimitFor
} from './limits';

const MB = 1024 * 1024;

/** A body of `total` bytes made on demand, counting how much anyone actually pulled. */
function hugeBody(total: number) {
	const pulled = { bytes: 0 };
	let sent = 0;
	const stream = new ReadableStream<Uint8Array>({
		pull(c) {
			if (sent >= total) return c.close();
			const chunk = new Uint8Array(Math.min(64 * 1024, total - sent)).fill(0x61);
			sent += chunk.byteLength;
			pulled.bytes += chunk.byteLength;
			c.enqueue(chunk);
		}
	});
	return { stream, pulled };
}

function post(
	path: string,
	body: ReadableStream<Uint8Array>,
	headers: Record<string, string> = {}
) {
	const request = new Request(`http://localhost${path}`, {
		method: 'POST',
		body,
		headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
		duplex: 'half'
	} as RequestInit);
	return {
		request,
		url: new URL(request.url),
		locals: { user: null, sessionId: null }
	} as unknown as RequestEvent;
}

/** What a form action does: read the whole form. */
async function readsForm(event: RequestEvent): Promise<Response> {
	try {
		await event.request.formData();
		return new Response('ok');
	} catch (e) {
		if (isHttpError(e)) return new Response(e.body.message, { status: e.status });
		throw e;
	}
}

// Finding 3 of issue 14: a 100 MB POST /login was parsed in full; three in parallel took the
// process from 430 to 949 MB.
describe('request-size limits per route', () => {
	it('gives upload-sized bodies only to upload routes, and admin uploads only to admins', () => {
		expect(bodyLimitFor('/login', null)).toBe(SMALL_BODY_BYTES);
		expect(bodyLimitFor('/s/demo', null)).toBe(SMALL_BODY_BYTES);
		expect(bodyLimitFor('/api/s/demo/answers', null)).toBe(SMALL_BODY_BYTES);
		expect(bodyLimitFor('/admin/subjects', null)).toBe(SMALL_BODY_BYTES);
		expect(bodyLimitFor('/admin/subjects', 'annotator')).toBe(SIGNED_IN_BODY_BYTES);
		expect(bodyLimitFor('/admin/subjects', 'admin')).toBe(ADMIN_UPLOAD_BYTES);
		expect(bodyLimitFor('/admin/users', 'admin')).toBe(SIGNED_IN_BODY_BYTES);
		expect(bodyLimitFor('/api/worker/blobs/abc', null)).toBeGreaterThan(MB);
	});

	it('refuses a declared oversized body without reading any of it', async () => {
		const { stream, pulled } = hugeBody(100 * MB);
		const res = await bodyLimit({
			event: post('/login', stream, { 'content-length': String(100 * MB) }),
			resolve: readsForm
		});
		expect(res.status).toBe(413);
		expect(pulled.bytes).toBeLessThanOrEqual(128 * 1024);
	});

	it('cuts off parallel streamed 100 MB bodies after the small limit, memory bounded', async () => {
		const bodies = Array.from({ length: 3 }, () => hugeBody(100 * MB));
		const before = process.memoryUsage().rss;
		const answers = await Promise.all(
			bodies.map(({ stream }, i) =>
				bodyLimit({
					event: post(i === 0 ? '/login' : '/s/demo?/start', stream),
					resolve: readsForm
				})
			)
		);
		expect(answers.map((r) => r.status)).toEqual([413, 413, 413]);
		// Each body was read at most a few chunks past the limit, never its 100 MB.
		for (const { pulled } of bodies) expect(pulled.bytes).toBeLessThan(SMALL_BODY_BYTES + MB);
		expect(process.memoryUsage().rss - before).toBeLessThan(100 * MB);
	});

	it('lets a small form through unchanged', async () => {
		const body = new TextEncoder().encode('email=a%40b.c&password=x');
		const stream = new ReadableStream<Uint8Array>({
			start(c) {
				c.enqueue(body);
				c.close();
			}
		});
		const res = await bodyLimit({ event: post('/login', stream), resolve: readsForm });
		expect(res.status).toBe(200);
	});
});
