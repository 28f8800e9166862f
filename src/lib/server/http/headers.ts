import type { Handle } from '@sveltejs/kit';
import { securityEvent } from '../audit/security-log';
import { NON_HTML_CSP, securityHeaderValues } from './security-headers.js';

/**
 * Headers every response carries (values in security-headers.js, shared with server.js,
 * which sets them on the static files served before this hook); the Content-Security-Policy
 * of pages comes from svelte.config.js.
 */
export const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const h = response.headers;
	for (const [name, value] of Object.entries(
		securityHeaderValues({ https: event.url.protocol === 'https:' })
	)) {
		h.set(name, value);
	}
	// Non-HTML responses (JSON, images) get a strict policy of their own.
	if (!h.has('Content-Security-Policy') && !(h.get('content-type') ?? '').includes('text/html')) {
		h.set('Content-Security-Policy', NON_HTML_CSP);
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
