import { requireRole } from '$lib/server/auth/guard';
import { helpPages } from '$lib/server/help/docs';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	return { pages: helpPages() };
};
