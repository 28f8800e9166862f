// The production entry (`npm start`): adapter-node's own server (build/index.js, with its
// PORT/HOST/ORIGIN settings, socket activation and graceful shutdown), plus the security
// headers on every response. adapter-node serves static/ and /_app/immutable/ itself,
// before SvelteKit's hooks run, so without this those files would lack nosniff, a CSP and
// the rest. Responses from SvelteKit set the same headers again (and pages their own CSP).
import { NON_HTML_CSP, securityHeaderValues } from './src/lib/server/http/security-headers.js';

const { server } = await import('./build/index.js');

const protocolHeader = process.env.PROTOCOL_HEADER?.toLowerCase();
const httpsOrigin = (process.env.ORIGIN ?? '').startsWith('https:');

// Runs before polka's request listener, so the headers are on the response before anything
// is written; a listener added after index.js's listen() call still precedes the first
// request, which cannot arrive before this module finishes.
server.server.prependListener('request', (req, res) => {
	const https = httpsOrigin || (!!protocolHeader && req.headers[protocolHeader] === 'https');
	for (const [name, value] of Object.entries(securityHeaderValues({ https }))) {
		res.setHeader(name, value);
	}
	// Pages replace this with their own policy when SvelteKit writes its headers.
	res.setHeader('Content-Security-Policy', NON_HTML_CSP);
});
