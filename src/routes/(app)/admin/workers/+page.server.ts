import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { parseForm } from '$lib/server/http/body';
import {
	createWorkerToken,
	listWorkerTokens,
	revokeWorkerToken,
	workerTokenInput
} from '$lib/server/workers/tokens';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	return { tokens: await listWorkerTokens(await db()), appUrl: event.url.origin };
};

const revokeForm = z.object({ id: z.uuid('Pick a token to revoke.') });

export const actions: Actions = {
	create: async (event) => {
		const admin = requireRole(event, 'admin');
		const form = parseForm(await event.request.formData(), workerTokenInput);
		if (!form.ok) return fail(400, { message: form.message });
		const { token, row } = await createWorkerToken(await db(), form.data.name, admin.id);
		// Shown once: only its hash is stored.
		return { created: { name: row.name, token } };
	},
	revoke: async (event) => {
		requireRole(event, 'admin');
		const form = parseForm(await event.request.formData(), revokeForm);
		if (!form.ok) return fail(400, { message: form.message });
		if (!(await revokeWorkerToken(await db(), form.data.id))) {
			return fail(404, { message: 'No such token.' });
		}
		return {
			ok: true,
			message: 'Revoked: workers using it are refused from their next request on.'
		};
	}
};
