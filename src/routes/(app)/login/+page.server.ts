import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { db } from '$lib/server/db';
import { authenticate } from '$lib/server/auth/users';
import { deviceToken, rememberAddress, rememberDevice } from '$lib/server/auth/devices';
import { createSession, setSessionCookie } from '$lib/server/auth/session';
import { parseForm } from '$lib/server/http/body';
import { safeRedirectPath } from '$lib/server/http/redirect';
import type { Actions, PageServerLoad } from './$types';
import { recordAudit } from '$lib/server/audit/trail';

const loginForm = z.object({
	email: z.string().trim().min(3, 'Enter your email.').max(320),
	password: z.string().min(1, 'Enter your password.').max(1024)
});

/** Only same-site paths: an attacker must not turn the login page into an open redirect. */
const safeNext = (next: string | null) => safeRedirectPath(next);

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
};

export const actions: Actions = {
	default: async (event) => {
		const form = parseForm(await event.request.formData(), loginForm);
		if (!form.ok) return fail(400, { email: '', message: form.message });
		const d = await db();
		const result = await authenticate(
			d,
			form.data.email,
			form.data.password,
			event.getClientAddress(),
			deviceToken(event.cookies)
		);
		if (!result.ok) {
			if (result.reason === 'throttled') {
				event.setHeaders({ 'Retry-After': String(result.retryAfterSeconds) });
				return fail(429, {
					email: form.data.email,
					message: `Too many failed attempts. Try again in ${result.retryAfterSeconds} seconds.`
				});
			}
			return fail(400, { email: form.data.email, message: 'Wrong email or password.' });
		}
		const session = await createSession(d, result.user.id);
		setSessionCookie(event.cookies, event.url, session.token, session.expiresAt);
		// After the session cookie, so simple clients that read the first Set-Cookie still work.
		await rememberDevice(d, event.cookies, event.url, result.user.id);
		await rememberAddress(d, result.user.id, event.getClientAddress());
		await recordAudit(d, {
			actorId: result.user.id,
			action: 'login',
			address: event.getClientAddress()
		});
		redirect(303, safeNext(event.url.searchParams.get('next')));
	}
};
