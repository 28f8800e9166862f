import { json } from '@sveltejs/kit';
import { studyResults } from '$lib/server/results';
import { resultsRequest } from '$lib/server/results/request';
import type { RequestHandler } from './$types';

/** The results page's data as JSON, polled by svelte-query for live refresh. */
export const GET: RequestHandler = async (event) => {
	const { db, study, rules } = await resultsRequest(event);
	return json(await studyResults(db, study, rules), { headers: { 'cache-control': 'no-store' } });
};
