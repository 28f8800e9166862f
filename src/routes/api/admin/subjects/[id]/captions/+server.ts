import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { draftingStatus } from '$lib/server/captions/status';
import type { RequestHandler } from './$types';

/** Drafting progress for the admin's live view (polled by svelte-query). */
export const GET: RequestHandler = async (event) => {
	requireRole(event, 'admin');
	const id = z.string().uuid().safeParse(event.params.id);
	if (!id.success) error(404, 'No such subject.');
	return json(await draftingStatus(await db(), id.data), {
		headers: { 'cache-control': 'no-store' }
	});
};
