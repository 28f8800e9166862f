import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { helpPage, helpPages, renderHelp } from '$lib/server/help/docs';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const page = helpPage(event.params.slug);
	if (!page) error(404, 'No such help page.');
	return {
		title: page.title,
		path: page.path,
		blocks: renderHelp(page),
		pages: helpPages()
	};
};
