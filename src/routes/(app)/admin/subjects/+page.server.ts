import { fail, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { createSubject, listSubjects, subjectInput } from '$lib/server/subjects/subjects';
import { parseForm } from '$lib/server/http/body';
import { actionOrRefusal } from '$lib/server/http/refusal';
import { importSubjectsZip } from '$lib/server/subjects/zip-import';
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
	},
	importZip: async (event) => {
		requireRole(event, 'admin');
		const file = (await event.request.formData()).get('zip');
		if (!(file instanceof File) || file.size === 0) {
			return fail(400, { message: 'Choose a ZIP file.', fields: { zip: 'Required' } });
		}
		const d = await db();
		const bytes = Buffer.from(await file.arrayBuffer());
		// A rejected archive fails with `problems`, every offending entry named.
		return actionOrRefusal(async () => {
			const out = await importSubjectsZip(d, bytes);
			return {
				zipMessage: `Imported ${out.length} subject${out.length === 1 ? '' : 's'}: ${out
					.map((s) => `${s.name} (${s.classNoun}, ${s.images} images)`)
					.join(', ')}.`
			};
		});
	}
};
