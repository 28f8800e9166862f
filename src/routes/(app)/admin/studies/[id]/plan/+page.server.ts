import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { getStudy } from '$lib/server/studies/studies';
import { pilotPlan } from '$lib/server/results/plan';
import type { PageServerLoad } from './$types';

const stated = z.object({
	question: z.string().max(40),
	share: z.coerce.number().min(0.01).max(0.99),
	sdParticipant: z.coerce.number().min(0).max(5),
	sdItem: z.coerce.number().min(0).max(5)
});

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const id = event.params.id;
	if (!z.uuid().safeParse(id).success) error(404, 'No such study.');
	const d = await db();
	const study = await getStudy(d, id);
	if (!study) error(404, 'No such study.');
	const params = Object.fromEntries(event.url.searchParams);
	const parsed = stated.safeParse(params);
	return {
		study: { id: study.id, title: study.title },
		...(await pilotPlan(d, study, parsed.success ? parsed.data : null))
	};
};
