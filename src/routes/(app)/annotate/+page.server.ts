import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { parseForm } from '$lib/server/http/body';
import { nextItem, reviewOverview } from '$lib/server/captions/review';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, ['admin', 'annotator']);
	return { subjects: await reviewOverview(await db()), empty: event.url.searchParams.has('empty') };
};

export const actions: Actions = {
	next: async (event) => {
		const user = requireRole(event, ['admin', 'annotator']);
		const form = parseForm(
			await event.request.formData(),
			z.object({
				subjectId: z
					.string()
					.uuid()
					.optional()
					.or(z.literal('').transform(() => undefined))
			})
		);
		const subjectId = form.ok ? form.data.subjectId : undefined;
		const id = await nextItem(await db(), user.id, { subjectId });
		redirect(303, id ? `/annotate/${id}` : '/annotate?empty');
	}
};
