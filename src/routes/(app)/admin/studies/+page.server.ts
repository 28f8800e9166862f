import { fail, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { parseForm } from '$lib/server/http/body';
import {
	createStudy,
	createStudyInput,
	getStudyBySlug,
	listStudies,
	setStudyMethods
} from '$lib/server/studies/studies';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	return { studies: await listStudies(await db()) };
};

export const actions: Actions = {
	create: async (event) => {
		requireRole(event, 'admin');
		const parsed = parseForm(await event.request.formData(), createStudyInput);
		if (!parsed.ok) return fail(400, { message: parsed.message });
		const d = await db();
		if (await getStudyBySlug(d, parsed.data.slug)) {
			return fail(409, {
				message: `The link name “${parsed.data.slug}” is taken.`,
				fields: { slug: 'Taken' }
			});
		}
		const study = await createStudy(d, parsed.data);
		await setStudyMethods(d, study.id, ['DreamBooth', 'DreamBooth + SID']);
		redirect(303, `/admin/studies/${study.id}`);
	}
};
