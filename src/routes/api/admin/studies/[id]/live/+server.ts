import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { liveStats } from '$lib/server/studies/live';
import { recentResumes } from '$lib/server/studies/resume';
import { getStudy } from '$lib/server/studies/studies';
import type { RequestHandler } from './$types';

/** Polled by the admin live view. */
export const GET: RequestHandler = async (event) => {
	requireRole(event, 'admin');
	if (!z.uuid().safeParse(event.params.id).success) error(404, 'No such study.');
	const d = await db();
	if (!(await getStudy(d, event.params.id))) error(404, 'No such study.');
	const body = {
		...(await liveStats(d, event.params.id)),
		resumes: await recentResumes(d, event.params.id)
	};
	return json(body, { headers: { 'cache-control': 'no-store' } });
};
