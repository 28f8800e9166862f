// The security headers every response carries, in one place. Plain JavaScript on purpose:
// the SvelteKit hook (headers.ts) imports it for pages and endpoints, and the production
// entry (server.js) imports it at run time for the files adapter-node serves before any
// hook runs (static/ and /_app/immutable/).

/** The policy for anything that is not an HTML page (JSON, images, scripts, fonts). */
export const NON_HTML_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * The headers for one response. The CSP of HTML pages comes from svelte.config.js (SvelteKit
 * sets it with nonces), so only responses without a policy of their own get NON_HTML_CSP.
 * @param {{ https: boolean }} request
 * @returns {Record<string, string>}
 */
export function securityHeaderValues({ https }) {
	/** @type {Record<string, string>} */
	const h = {
		'X-Content-Type-Options': 'nosniff',
		'X-Frame-Options': 'DENY',
		'Referrer-Policy': 'strict-origin-when-cross-origin',
		'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
		'Cross-Origin-Opener-Policy': 'same-origin'
	};
	if (https) h['Strict-Transport-Security'] = 'max-age=63072000; includeSubDomains';
	return h;
}
