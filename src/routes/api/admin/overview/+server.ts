import { json } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { appEnvironment, projectOverview } from '$lib/server/overview';
import type { RequestHandler } from './$types';

/** Polled by the admin overview. */
export const GET: RequestHandler = async (event) => {
	requireRole(event, 'admin');
	return json(await projectOverview(await db(), appEnvironment(event.url.origin)), {
		headers: { 'cache-control': 'no-store' }
	});
};
