import { error, type Handle } from '@sveltejs/kit';
import { config } from '../config';
import { MAX_JSON_BYTES } from './body';

/**
 * Request-size limits per route, enforced before the body is buffered. adapter-node's
 * BODY_SIZE_LIMIT must be large for image and ZIP uploads, and it applies to every route: a
 * 100 MB `POST /login` used to be parsed in full. Here every request gets a small limit
 * unless its route is an upload route and the caller may upload there; a declared
 * Content-Length over the limit is refused at once, and a body without one is counted as
 * it streams and cut off as soon as it goes over.
 */
export const SMALL_BODY_BYTES = 64 * 1024;
/** Signed-in users' forms and JSON (readJson's own cap). */
export const SIGNED_IN_BODY_BYTES = MAX_JSON_BYTES;
/** Image batches and ZIP archives (the archive readers allow 100 MB) plus form overhead. */
export const ADMIN_UPLOAD_BYTES = 110 * 1024 * 1024;
/** Worker completions carry sample metadata for a whole job. */
const WORKER_COMPLETE_BYTES = 8 * 1024 * 1024;

// Admin pages that take image and ZIP uploads (subjects, study import).
const ADMIN_UPLOADS = [
	/^\/admin\/subjects\/?$/,
	/^\/admin\/subjects\/[^/]+\/?$/,
	/^\/admin\/studies\/[^/]+\/?$/
];
// Worker artifacts; the worker token is checked by the route before the body is read.
const WORKER_UPLOADS = [/^\/api\/worker\/blobs\/[^/]+$/];

/** The largest body this request may send, from its path and who is asking. */
export function bodyLimitFor(pathname: string, role: string | null): number {
	if (role === 'admin' && ADMIN_UPLOADS.some((r) => r.test(pathname))) {
		return ADMIN_UPLOAD_BYTES;
	}
	if (WORKER_UPLOADS.some((r) => r.test(pathname))) return config().MAX_UPLOAD_BYTES;
	if (/^\/api\/worker\/jobs\/[^/]+\/complete$/.test(pathname)) return WORKER_COMPLETE_BYTES;
	// Other worker messages are JSON checked by token in the route: readJson's own cap.
	if (pathname.startsWith('/api/worker/')) return SIGNED_IN_BODY_BYTES;
	return role ? SIGNED_IN_BODY_BYTES : SMALL_BODY_BYTES;
}

function tooLarge(limit: number): Response {
	return new Response(
		JSON.stringify({ message: `The request body is larger than ${Math.round(limit / 1024)} KB.` }),
		{ status: 413, headers: { 'content-type': 'application/json' } }
	);
}

/** A copy of the request whose body errors as soon as more than `limit` bytes arrive. */
export function limitedRequest(request: Request, limit: number): Request {
	if (!request.body) return request;
	let seen = 0;
	const counted = request.body.pipeThrough(
		new TransformStream<Uint8Array, Uint8Array>({
			transform(chunk, controller) {
				seen += chunk.byteLength;
				if (seen <= limit) return controller.enqueue(chunk);
				// The route's formData()/json() rejects with this, so the answer is a 413.
				try {
					error(413, `The request body is larger than ${Math.round(limit / 1024)} KB.`);
				} catch (e) {
					controller.error(e);
				}
			}
		})
	);
	return new Request(request.url, {
		method: request.method,
		headers: request.headers,
		body: counted,
		signal: request.signal,
		// Node's fetch requires this for a streamed body.
		duplex: 'half'
	} as RequestInit);
}

export const bodyLimit: Handle = async ({ event, resolve }) => {
	const { request } = event;
	if (request.method === 'GET' || request.method === 'HEAD' || !request.body) {
		return resolve(event);
	}
	const limit = bodyLimitFor(event.url.pathname, event.locals.user?.role ?? null);
	const declared = Number(request.headers.get('content-length') ?? 'NaN');
	if (Number.isFinite(declared) && declared > limit) {
		// Not cancelled: that would reset the connection before the client reads the 413.
		// Node discards the unread rest of the body without keeping it.
		return tooLarge(limit);
	}
	if (!Number.isFinite(declared)) {
		// SvelteKit passes this object on to the route, so the route reads the counted body.
		(event as { request: Request }).request = limitedRequest(request, limit);
	}
	return resolve(event);
};
