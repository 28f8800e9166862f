import { exportResponse } from '$lib/server/exports/respond';
import { resultsRequest } from '$lib/server/results/request';
import type { RequestHandler } from './$types';

/** Responses as tidy CSV, streamed; admin only, logged. */
export const GET: RequestHandler = async (event) => {
	const { db, study, rules, hashExternalIds, user } = await resultsRequest(event);
	return exportResponse(db, study, user.id, 'csv', { rules, hashExternalIds });
};
