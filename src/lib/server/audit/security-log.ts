/**
 * Security-relevant refusals as one JSON line each on stderr, for the operator's log
 * pipeline. Callers pass identifiers (paths, ids, addresses, emails), never secrets:
 * no passwords, tokens or cookies. Values are cut short so a hostile input cannot flood it.
 */
export type SecurityEventKind =
	| 'login_failed'
	| 'login_throttled'
	| 'forbidden'
	| 'unauthenticated'
	| 'cross_site_refused'
	| 'worker_auth_failed'
	| 'blob_integrity_failed';

export function securityEvent(
	kind: SecurityEventKind,
	fields: Record<string, string | number | null | undefined>
): void {
	const clean: Record<string, string | number> = {};
	for (const [k, v] of Object.entries(fields)) {
		if (v === undefined || v === null) continue;
		clean[k] = typeof v === 'string' ? v.slice(0, 200) : v;
	}
	console.warn(JSON.stringify({ event: kind, at: new Date().toISOString(), ...clean }));
}
