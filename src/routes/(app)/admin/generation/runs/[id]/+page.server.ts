import { error, fail } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { parseForm } from '$lib/server/http/body';
import { comparison } from '$lib/server/generation/gallery';
import { studiesForMethods, studyItemsFromRunPair } from '$lib/server/generation/study-items';
import { actionOrRefusal } from '$lib/server/http/refusal';
import type { Actions, PageServerLoad } from './$types';

const uuid = z.uuid();

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	if (!uuid.safeParse(event.params.id).success) error(404, 'No such run.');
	const partner = event.url.searchParams.get('with');
	const d = await db();
	const view = await comparison(
		d,
		event.params.id,
		partner && uuid.safeParse(partner).success ? partner : null
	);
	if (!view) error(404, 'No such run.');
	const studies = view.partner
		? await studiesForMethods(d, view.run.methodId, view.partner.methodId)
		: [];
	return { ...view, studies };
};

const itemsForm = z.object({ studyId: z.uuid(), runA: z.uuid(), runB: z.uuid() });

export const actions: Actions = {
	studyItems: async (event) => {
		requireRole(event, 'admin');
		const form = parseForm(await event.request.formData(), itemsForm);
		if (!form.ok) return fail(400, { message: 'Pick a study.' });
		const d = await db();
		return actionOrRefusal(async () => {
			const n = await studyItemsFromRunPair(d, form.data.studyId, form.data.runA, form.data.runB);
			return {
				ok: true,
				message: n ? `Added ${n} study items.` : 'The study already has these items.'
			};
		});
	}
};
