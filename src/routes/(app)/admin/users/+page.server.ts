import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { createInvite, listInvites } from '$lib/server/auth/invites';
import { listUsers, setUserDisabled } from '$lib/server/auth/users';
import { parseForm } from '$lib/server/http/body';
import type { Actions, PageServerLoad } from './$types';
import { recordAudit } from '$lib/server/audit/trail';

export const load: PageServerLoad = async (event) => {
	const me = requireRole(event, 'admin');
	const d = await db();
	return { me: me.id, users: await listUsers(d), invites: await listInvites(d) };
};

const inviteForm = z.object({
	email: z.string().trim().email('Enter a valid email.'),
	role: z.enum(['annotator', 'admin']).default('annotator')
});
const userForm = z.object({ userId: z.string().uuid() });

export const actions: Actions = {
	invite: async (event) => {
		const admin = requireRole(event, 'admin');
		const form = parseForm(await event.request.formData(), inviteForm);
		if (!form.ok) return fail(400, { message: form.message });
		const d = await db();
		const { token, expiresAt } = await createInvite(d, admin.id, form.data.email, form.data.role);
		await recordAudit(d, {
			actorId: admin.id,
			action: 'user.invite',
			target: `user:${form.data.email}`,
			detail: { role: form.data.role },
			address: event.getClientAddress()
		});
		return {
			inviteLink: `${event.url.origin}/invite/${token}`,
			inviteEmail: form.data.email,
			expiresAt: expiresAt.toISOString()
		};
	},
	disable: async (event) => {
		const admin = requireRole(event, 'admin');
		const form = parseForm(await event.request.formData(), userForm);
		if (!form.ok) return fail(400, { message: form.message });
		if (form.data.userId === admin.id)
			return fail(400, { message: 'You cannot disable yourself.' });
		const d = await db();
		await setUserDisabled(d, form.data.userId, true);
		await recordAudit(d, {
			actorId: admin.id,
			action: 'user.disable',
			target: `user:${form.data.userId}`,
			address: event.getClientAddress()
		});
		return { ok: true, message: 'Disabled; their sessions have ended.' };
	},
	enable: async (event) => {
		const admin = requireRole(event, 'admin');
		const form = parseForm(await event.request.formData(), userForm);
		if (!form.ok) return fail(400, { message: form.message });
		const d = await db();
		await setUserDisabled(d, form.data.userId, false);
		await recordAudit(d, {
			actorId: admin.id,
			action: 'user.enable',
			target: `user:${form.data.userId}`,
			address: event.getClientAddress()
		});
		return { ok: true, message: 'Enabled.' };
	}
};
