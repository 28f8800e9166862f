import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Role } from '../db/schema';
import type { SessionUser } from './session';
import { securityEvent } from '../audit/security-log';

/**
 * Every load, action and endpoint calls this itself (layouts do not protect actions).
 * Pages send anonymous visitors to the login page; endpoints answer 401.
 */
export function requireRole(event: RequestEvent, roles: Role[] | Role): SessionUser {
	const user = event.locals.user;
	const allowed = Array.isArray(roles) ? roles : [roles];
	if (!user) {
		const isApi = event.url.pathname.startsWith('/api/') || event.request.method !== 'GET';
		if (isApi) {
			securityEvent('unauthenticated', { path: event.url.pathname, method: event.request.method });
			error(401, 'Sign in first.');
		}
		redirect(303, `/login?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
	}
	if (!allowed.includes(user.role)) {
		securityEvent('forbidden', {
			path: event.url.pathname,
			method: event.request.method,
			user: user.id,
			role: user.role
		});
		error(403, 'Your role does not allow this.');
	}
	return user;
}
