import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { parseForm } from '$lib/server/http/body';
import {
	approve,
	approveInput,
	ApprovalBlocked,
	CaptionConflict,
	editInput,
	editSid,
	expressionInput,
	nextItem,
	reject,
	rejectInput,
	releaseLease,
	setExpression,
	touchLease
} from '$lib/server/captions/review';
import { snapshot } from '$lib/server/captions/store';
import { displayName, reviewItem } from '$lib/server/captions/item';
import { queueDrafts } from '$lib/server/vlm/drafting';
import { queueExpressionSuggestion } from '$lib/server/vlm/expression';
import { config } from '$lib/server/config';
import type { Actions, PageServerLoad } from './$types';

const imageId = z.string().uuid();

export const load: PageServerLoad = async (event) => {
	const user = requireRole(event, ['admin', 'annotator']);
	const id = imageId.safeParse(event.params.imageId);
	if (!id.success) error(404, 'No such item.');
	const d = await db();
	const item = await reviewItem(d, id.data);
	if (!item) error(404, 'No such item.');
	await touchLease(d, id.data, user.id);
	return { item, me: user.id, vlmConfigured: !!config().OPENAI_API_KEY };
};

/** Runs one change; a stale version answers 409 with both versions, a blocked approval 400. */
async function act<S extends z.ZodType>(
	event: RequestEvent,
	schema: S,
	run: (userId: string, id: string, input: z.infer<S>) => Promise<unknown>,
	message: string
) {
	const user = requireRole(event, ['admin', 'annotator']);
	const id = imageId.safeParse(event.params.imageId);
	if (!id.success) error(404, 'No such item.');
	const form = parseForm(await event.request.formData(), schema);
	if (!form.ok) return fail(400, { error: form.message });
	try {
		await run(user.id, id.data, form.data);
		return { message };
	} catch (e) {
		if (e instanceof CaptionConflict) {
			return fail(409, {
				error: `${await displayName(await db(), e.theirs.updatedBy ?? '')} saved this caption while you were editing. Nothing of yours was saved: compare both versions below.`,
				conflict: { mine: e.mine, theirs: snapshot(e.theirs) }
			});
		}
		if (e instanceof ApprovalBlocked) return fail(400, { error: e.message });
		throw e;
	}
}

export const actions: Actions = {
	save: async (event) =>
		act(event, editInput, async (u, id, input) => editSid(await db(), id, u, input), 'Saved.'),
	expression: async (event) =>
		act(
			event,
			expressionInput,
			async (u, id, input) => setExpression(await db(), id, u, input),
			'Expression saved.'
		),
	approve: async (event) =>
		act(
			event,
			approveInput,
			async (u, id, input) => approve(await db(), id, u, input),
			'Approved.'
		),
	reject: async (event) =>
		act(event, rejectInput, async (u, id, input) => reject(await db(), id, u, input), 'Rejected.'),
	redraft: async (event) => {
		const user = requireRole(event, ['admin', 'annotator']);
		const id = imageId.parse(event.params.imageId);
		const d = await db();
		const item = await reviewItem(d, id);
		if (!item) error(404, 'No such item.');
		if (!config().OPENAI_API_KEY)
			return fail(400, { error: 'No VLM is configured (OPENAI_API_KEY).' });
		await queueDrafts(d, {
			subjectIds: [item.subject.id],
			imageIds: [id],
			redraft: true,
			requestedBy: user.id
		});
		return { message: 'Asked the VLM for a new draft; it replaces this one when it arrives.' };
	},
	suggest: async (event) => {
		requireRole(event, ['admin', 'annotator']);
		const id = imageId.parse(event.params.imageId);
		if (!config().OPENAI_API_KEY)
			return fail(400, { error: 'No VLM is configured (OPENAI_API_KEY).' });
		await queueExpressionSuggestion(await db(), id);
		return {
			message: 'Asked the VLM for an expression; reload in a moment to see its suggestion.'
		};
	},
	next: async (event) => {
		const user = requireRole(event, ['admin', 'annotator']);
		const id = imageId.parse(event.params.imageId);
		const d = await db();
		await releaseLease(d, id, user.id);
		const next = await nextItem(d, user.id, { skip: id });
		redirect(303, next ? `/annotate/${next}` : '/annotate?empty');
	}
};
