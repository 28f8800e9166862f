import type { Handle } from '@sveltejs/kit';
import { securityEvent } from '../audit/security-log';

/** Headers every response carries; the Content-Security-Policy itself comes from svelte.config.js. */
export const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const h = response.headers;
	h.set('X-Content-Type-Options', 'nosniff');
	h.set('X-Frame-Options', 'DENY');
	h.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	h.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
	h.set('Cross-Origin-Opener-Policy', 'same-origin');
	if (event.url.protocol === 'https:') {
		h.set('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
	}
	// Non-HTML responses (JSON, images) get a strict policy of their own.
	if (!h.has('Content-Security-Policy') && !(h.get('content-type') ?? '').includes('text/html')) {
		h.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
	}
	return response;
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * SvelteKit checks Origin only for form submissions. JSON endpoints that change state get
 * the same check here; the worker API is exempt because it authenticates with bearer tokens,
 * which a browser never sends on its own.
 */
export const originCheck: Handle = async ({ event, resolve }) => {
	const { request, url } = event;
	if (
		!SAFE_METHODS.has(request.method) &&
		url.pathname.startsWith('/api/') &&
		!url.pathname.startsWith('/api/worker/')
	) {
		const origin = request.headers.get('origin');
		if (origin !== url.origin) {
			securityEvent('cross_site_refused', { path: url.pathname, origin });
			return new Response(JSON.stringify({ message: 'Cross-site request refused.' }), {
				status: 403,
				headers: { 'content-type': 'application/json' }
			});
		}
	}
	return resolve(event);
};
