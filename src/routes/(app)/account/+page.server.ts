import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guard';
import { changePassword } from '$lib/server/auth/users';
import { db } from '$lib/server/db';
import { parseForm } from '$lib/server/http/body';
import { actionOrRefusal } from '$lib/server/http/refusal';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const user = requireRole(event, ['admin', 'annotator']);
	return { email: user.email };
};

const passwordForm = z
	.object({
		current: z.string().min(1, 'Enter your current password.').max(1024),
		next: z.string().max(1024),
		again: z.string().max(1024)
	})
	.refine((f) => f.next === f.again, { message: 'The new passwords do not match.' });

export const actions: Actions = {
	password: async (event) => {
		const user = requireRole(event, ['admin', 'annotator']);
		const form = parseForm(await event.request.formData(), passwordForm);
		if (!form.ok) return fail(400, { message: form.message });
		const d = await db();
		const failed = await actionOrRefusal(() =>
			changePassword(d, user.id, event.locals.sessionId, form.data.current, form.data.next)
		);
		if (failed) return failed;
		redirect(303, '/account?changed');
	}
};
