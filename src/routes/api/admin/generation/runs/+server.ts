import { json } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { listRuns } from '$lib/server/generation/runs';
import type { RequestHandler } from './$types';

/** The runs list with live stage and progress, polled by the generation page. */
export const GET: RequestHandler = async (event) => {
	requireRole(event, 'admin');
	return json({ runs: await listRuns(await db()) }, { headers: { 'cache-control': 'no-store' } });
};
