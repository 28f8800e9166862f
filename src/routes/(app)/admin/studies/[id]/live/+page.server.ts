import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { getStudy } from '$lib/server/studies/studies';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	if (!z.uuid().safeParse(event.params.id).success) error(404, 'No such study.');
	const study = await getStudy(await db(), event.params.id);
	if (!study) error(404, 'No such study.');
	return {
		study: {
			id: study.id,
			title: study.title,
			slug: study.slug,
			state: study.state,
			target: study.targetCompletions
		}
	};
};
