import { studyResults } from '$lib/server/results';
import { resultsRequest } from '$lib/server/results/request';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { db, study, rules } = await resultsRequest(event);
	return { initial: await studyResults(db, study, rules) };
};
