import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { db } from '$lib/server/db';
import { acceptInvite, findOpenInvite } from '$lib/server/auth/invites';
import { createSession, setSessionCookie } from '$lib/server/auth/session';
import { MIN_PASSWORD_LENGTH } from '$lib/server/auth/password';
import { parseForm } from '$lib/server/http/body';
import { actionOrRefusal } from '$lib/server/http/refusal';
import type { Actions, PageServerLoad } from './$types';
import { recordAudit } from '$lib/server/audit/trail';

const acceptForm = z
	.object({
		displayName: z.string().trim().min(1, 'Enter your name.').max(100),
		password: z
			.string()
			.min(MIN_PASSWORD_LENGTH, `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`)
			.max(1024),
		confirm: z.string()
	})
	.refine((f) => f.password === f.confirm, { message: 'The two passwords differ.' });

export const load: PageServerLoad = async ({ params }) => {
	const invite = await findOpenInvite(await db(), params.token);
	if (!invite) error(410, 'This invitation link is invalid, expired or already used.');
	return { email: invite.email, role: invite.role };
};

export const actions: Actions = {
	default: async (event) => {
		const form = parseForm(await event.request.formData(), acceptForm);
		if (!form.ok) return fail(400, { message: form.message });
		const d = await db();
		const failed = await actionOrRefusal(async () => {
			const user = await acceptInvite(
				d,
				event.params.token,
				form.data.displayName,
				form.data.password
			);
			const session = await createSession(d, user.id);
			setSessionCookie(event.cookies, event.url, session.token, session.expiresAt);
			await recordAudit(d, {
				actorId: user.id,
				action: 'user.join',
				target: `user:${user.email}`,
				detail: { role: user.role },
				address: event.getClientAddress()
			});
		});
		if (failed) return failed;
		redirect(303, '/');
	}
};
