import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { helpPages } from '$lib/server/help/docs';
import { appEnvironment, projectOverview } from '$lib/server/overview';
import type { PageServerLoad } from './$types';

/** The first figures come with the page (it works without JavaScript); the page then polls. */
export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	return {
		overview: await projectOverview(await db(), appEnvironment(event.url.origin)),
		help: helpPages()
	};
};
