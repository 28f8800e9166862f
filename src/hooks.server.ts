import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { closeDatabase, database, db } from '$lib/server/db';
import { databaseUnavailable } from '$lib/server/db/unavailable';
import { config } from '$lib/server/config';
import { bootstrapAdminFromEnv } from '$lib/server/auth/bootstrap';
import { startAuthHousekeeping } from '$lib/server/auth/housekeeping';
import {
	deleteSessionCookie,
	sessionCookieName,
	setSessionCookie,
	validateSessionToken
} from '$lib/server/auth/session';
import { originCheck, securityHeaders } from '$lib/server/http/headers';
import { bodyLimit } from '$lib/server/http/limits';
import { startJobRunner, stopJobRunner } from '$lib/server/jobs';
import '$lib/server/jobs/handlers';

// Migrations run here, not at module load, so `vite build` never connects to a database.
export const init: ServerInit = async () => {
	const d = await database();
	await bootstrapAdminFromEnv(d.db);
	if (config().JOB_RUNNER === 'on') startJobRunner(d.db);
	const stopHousekeeping = startAuthHousekeeping(d.db);
	process.once('sveltekit:shutdown', async () => {
		stopHousekeeping();
		await stopJobRunner();
		await closeDatabase();
	});
};

/** Participant endpoints never act on an admin's session: spare them its lookup (and its write). */
const PARTICIPANT_API = '/api/s/';

const authenticate: Handle = async ({ event, resolve }) => {
	const name = sessionCookieName(event.url);
	const token = event.cookies.get(name);
	event.locals.user = null;
	event.locals.sessionId = null;
	if (token && !event.url.pathname.startsWith(PARTICIPANT_API)) {
		const session = await validateSessionToken(await db(), token);
		if (session) {
			event.locals.user = session.user;
			event.locals.sessionId = session.id;
			setSessionCookie(event.cookies, event.url, token, session.expiresAt);
		} else {
			deleteSessionCookie(event.cookies, event.url);
		}
	}
	const response = await resolve(event);
	// Pages and data for a signed-in person must not stay in a shared or back-button cache.
	if (event.locals.user && !response.headers.has('cache-control')) {
		response.headers.set('cache-control', 'no-store');
	}
	return response;
};

// bodyLimit after authenticate (only a signed-in admin may send an upload-sized body) and
// inside securityHeaders, so its 413 carries the headers too.
export const handle = sequence(originCheck, authenticate, securityHeaders, bodyLimit);

/**
 * Unexpected errors are logged with their stack, as SvelteKit does by default; a database
 * that is out of reach (a restart, a dropped connection) is one line per request instead.
 */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
	const where = `[${status}] ${event.request.method} ${event.url.pathname}`;
	const down = databaseUnavailable(error);
	if (down) console.warn(`${where}: database unavailable (${down})`);
	else console.error(`\n\x1b[1;31m${where}\x1b[0m\n${(error as Error)?.stack ?? String(error)}`);
	return { message };
};
