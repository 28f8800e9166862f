import { fail, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { createSubject, listSubjects, subjectInput } from '$lib/server/subjects/subjects';
import { parseForm } from '$lib/server/http/body';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	return { subjects: await listSubjects(await db()) };
};

export const actions: Actions = {
	create: async (event) => {
		requireRole(event, 'admin');
		const form = parseForm(await event.request.formData(), subjectInput);
		if (!form.ok) return fail(400, { message: form.message });
		let id: string;
		try {
			id = (await createSubject(await db(), form.data)).id;
		} catch (e) {
			if (String((e as { cause?: unknown }).cause ?? e).includes('unique')) {
				return fail(409, { message: `A subject named "${form.data.name}" exists already.` });
			}
			throw e;
		}
		redirect(303, `/admin/subjects/${id}`);
	}
};
