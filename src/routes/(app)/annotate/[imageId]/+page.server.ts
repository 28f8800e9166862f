import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import {
	approve,
	approveInput,
	editInput,
	editFromForm,
	editStructure,
	expressionInput,
	nextItem,
	reject,
	rejectInput,
	releaseLease,
	setExpression,
	touchLease
} from '$lib/server/captions/review';
import { reviewItem } from '$lib/server/captions/item';
import { actionOrRefusal } from '$lib/server/http/refusal';
import { queueDrafts } from '$lib/server/vlm/drafting';
import { queueExpressionSuggestion } from '$lib/server/vlm/expression';
import { queueSelectivityPass } from '$lib/server/vlm/selectivity-pass';
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
	message: string,
	read?: (form: FormData) => unknown
) {
	const user = requireRole(event, ['admin', 'annotator']);
	const id = imageId.safeParse(event.params.imageId);
	if (!id.success) error(404, 'No such item.');
	const body = await event.request.formData();
	const form = schema.safeParse(read ? read(body) : Object.fromEntries(body));
	if (!form.success) {
		return fail(400, { message: form.error.issues.map((i) => i.message).join(' ') });
	}
	return actionOrRefusal(async () => {
		await run(user.id, id.data, form.data);
		return { ok: true, message };
	});
}

export const actions: Actions = {
	save: async (event) =>
		act(
			event,
			editInput,
			async (u, id, input) => editStructure(await db(), id, u, input),
			'Saved.',
			editFromForm
		),
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
			return fail(400, { message: 'No VLM is configured (OPENAI_API_KEY).' });
		await queueDrafts(d, {
			subjectIds: [item.subject.id],
			imageIds: [id],
			redraft: true,
			requestedBy: user.id
		});
		return {
			ok: true,
			message: 'Asked the VLM for a new draft; it replaces this one when it arrives.'
		};
	},
	suggest: async (event) => {
		requireRole(event, ['admin', 'annotator']);
		const id = imageId.parse(event.params.imageId);
		if (!config().OPENAI_API_KEY)
			return fail(400, { message: 'No VLM is configured (OPENAI_API_KEY).' });
		await queueExpressionSuggestion(await db(), id);
		return {
			ok: true,
			message: 'Asked the VLM for an expression; reload in a moment to see its suggestion.'
		};
	},
	verdict: async (event) => {
		requireRole(event, ['admin', 'annotator']);
		const id = imageId.parse(event.params.imageId);
		if (!config().OPENAI_API_KEY)
			return fail(400, { message: 'No VLM is configured (OPENAI_API_KEY).' });
		await queueSelectivityPass(await db(), id);
		return {
			ok: true,
			message: 'Asked the VLM whether the SID describes the subject; reload in a moment.'
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
