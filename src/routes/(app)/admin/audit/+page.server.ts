import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { listAudit } from '$lib/server/audit/trail';
import type { PageServerLoad } from './$types';

const PAGE = 100;

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const page = z.coerce
		.number()
		.int()
		.min(0)
		.max(10_000)
		.catch(0)
		.parse(event.url.searchParams.get('page'));
	const events = await listAudit(await db(), { limit: PAGE + 1, offset: page * PAGE });
	return {
		page,
		more: events.length > PAGE,
		events: events.slice(0, PAGE).map((e) => ({
			id: e.id,
			at: e.at.toISOString(),
			actor: e.actorEmail,
			action: e.action,
			target: e.target,
			detail: Object.keys(e.detail).length ? JSON.stringify(e.detail) : '',
			address: e.address ?? ''
		}))
	};
};
