/**
 * Whether an error only says the database is out of reach (restarting, shut down, the
 * connection dropped or refused), as opposed to a bug. During a PostgreSQL restart every
 * request in flight fails this way; one line each says so, where a stack trace per request
 * would bury the errors that do need reading.
 */

// SQLSTATE class 08 (connection exception) and 57P01-57P03 (admin shutdown, crash shutdown,
// cannot connect now); postgres.js's own connection codes; Node's socket errors.
const CODES = new Set([
	'57P01',
	'57P02',
	'57P03',
	'CONNECTION_CLOSED',
	'CONNECTION_ENDED',
	'CONNECTION_DESTROYED',
	'CONNECT_TIMEOUT',
	'ECONNREFUSED',
	'ECONNRESET',
	'EPIPE'
]);

/** A short description (`57P01 terminating connection …`) when the database is unavailable, else null. */
export function databaseUnavailable(error: unknown): string | null {
	// drizzle wraps the driver's error as `cause`; walk the chain (bounded, in case of a cycle).
	let e: unknown = error;
	for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth++) {
		const { code, message, cause } = e as { code?: unknown; message?: unknown; cause?: unknown };
		if (typeof code === 'string' && (CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) {
			return `${code} ${String(message ?? '')}`.trim();
		}
		e = cause;
	}
	return null;
}
