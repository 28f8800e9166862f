/**
 * Where to send someone after login: only a path on this site. Browsers are generous about
 * what a Location header means (`/\evil.example` and `/<TAB>/evil.example` both open
 * evil.example), so the target is checked after every layer of percent-decoding and after
 * the URL parser has normalised it, not by looking at its first characters.
 */
const BASE = 'https://this-site.invalid';
// Backslashes and control characters have no business in a path we send people to.
function suspicious(s: string): boolean {
	return s.includes('\\') || [...s].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127);
}

export function safeRedirectPath(next: string | null | undefined, fallback = '/'): string {
	if (!next || !next.startsWith('/') || next.length > 2000) return fallback;
	let decoded = next;
	for (let i = 0; i < 4; i++) {
		if (suspicious(decoded) || decoded.startsWith('//')) return fallback;
		let once: string;
		try {
			once = decodeURIComponent(decoded);
		} catch {
			return fallback;
		}
		if (once === decoded) break;
		decoded = once;
	}
	let url: URL;
	try {
		url = new URL(next, BASE);
	} catch {
		return fallback;
	}
	if (url.origin !== BASE) return fallback;
	const path = url.pathname + url.search + url.hash;
	return path.startsWith('//') ? fallback : path;
}
