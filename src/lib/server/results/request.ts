/** What every results route does first: the admin check, the study, and the rules from the URL. */
import { error, type RequestEvent } from '@sveltejs/kit';
import { ZodError } from 'zod';
import { requireRole } from '../auth/guard';
import { db } from '../db';
import { getStudy, getStudyBySlug } from '../studies/studies';
import { rulesFromSearch } from './answers';

export async function resultsRequest(event: RequestEvent) {
	const user = requireRole(event, 'admin');
	const d = await db();
	const id = event.params.id ?? '';
	// The id, or the slug for readable links (e.g. /admin/studies/demo-results/results).
	const study = /^[0-9a-f-]{36}$/i.test(id)
		? await getStudy(d, id)
		: /^[a-z0-9-]{1,80}$/.test(id)
			? await getStudyBySlug(d, id)
			: null;
	if (!study) error(404, 'No such study.');
	try {
		const rules = rulesFromSearch(event.url.searchParams);
		const external = event.url.searchParams.get('external') ?? 'hashed';
		if (external !== 'hashed' && external !== 'raw') error(400, 'external must be hashed or raw.');
		return { user, db: d, study, rules, hashExternalIds: external === 'hashed' };
	} catch (e) {
		if (e instanceof ZodError)
			error(400, `Invalid exclusion rules: ${e.issues.map((i) => i.path.join('.')).join(', ')}`);
		throw e;
	}
}
