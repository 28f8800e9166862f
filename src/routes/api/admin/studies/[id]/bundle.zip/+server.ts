import { exportResponse } from '$lib/server/exports/respond';
import { resultsRequest } from '$lib/server/results/request';
import type { RequestHandler } from './$types';

/** The study bundle ZIP (responses, items, samples, runs, settings, codebook); admin only, logged. */
export const GET: RequestHandler = async (event) => {
	const { db, study, rules, hashExternalIds, user } = await resultsRequest(event);
	return exportResponse(db, study, user.id, 'bundle', { rules, hashExternalIds });
};
