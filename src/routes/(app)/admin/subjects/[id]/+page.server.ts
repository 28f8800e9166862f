import { error, fail } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { addReferenceImages, getSubject } from '$lib/server/subjects/subjects';
import { z } from 'zod';
import { parseForm } from '$lib/server/http/body';
import { queueDrafts } from '$lib/server/vlm/drafting';
import { setMask } from '$lib/server/subjects/masks';
import { config } from '$lib/server/config';
import { actionOrRefusal } from '$lib/server/http/refusal';
import { captionsOf, finalCaption } from '$lib/server/captions/store';
import { VLM_FIX } from '$lib/server/overview';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const subject = await getSubject(await db(), event.params.id);
	if (!subject) error(404, 'No such subject.');
	const rows = await captionsOf(
		await db(),
		subject.images.map((i) => i.id)
	);
	// The SID of each image as training will use it, with its review state.
	const captions = Object.fromEntries(
		rows.map((c) => [
			c.referenceImageId,
			{
				status: c.status,
				sid: finalCaption(c.sid, c.expression, subject),
				flags: c.flags.length,
				model: c.model,
				draftError: c.draftError
			}
		])
	);
	const approved = rows.filter((c) => c.status === 'approved').length;
	return {
		subject,
		captions,
		// Cases 2-4 export only once every image is approved (as training reads them).
		unapproved: subject.images.length - approved,
		vlmConfigured: !!config().OPENAI_API_KEY,
		vlmModel: config().VLM_MODEL,
		vlmFix: VLM_FIX
	};
};

export const actions: Actions = {
	upload: async (event) => {
		requireRole(event, 'admin');
		const d = await db();
		const subject = await getSubject(d, event.params.id);
		if (!subject) error(404, 'No such subject.');
		const files = (await event.request.formData())
			.getAll('images')
			.filter((f): f is File => f instanceof File && f.size > 0);
		const uploads = await Promise.all(
			files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) }))
		);
		return actionOrRefusal(async () => {
			const added = await addReferenceImages(d, subject.id, uploads);
			return { ok: true, message: `Added ${added} image${added === 1 ? '' : 's'}.` };
		});
	},
	draft: async (event) => {
		const user = requireRole(event, 'admin');
		const d = await db();
		const subject = await getSubject(d, event.params.id);
		if (!subject) error(404, 'No such subject.');
		const form = parseForm(
			await event.request.formData(),
			z.object({ redraft: z.enum(['0', '1']).default('0') })
		);
		const redraft = form.ok && form.data.redraft === '1';
		if (!config().OPENAI_API_KEY) {
			return fail(400, {
				message:
					'Set OPENAI_API_KEY (and OPENAI_BASE_URL for a self-hosted server) to draft with a VLM.'
			});
		}
		const n = await queueDrafts(d, { subjectIds: [subject.id], redraft, requestedBy: user.id });
		return {
			ok: true,
			message: n
				? `Queued ${n} image${n === 1 ? '' : 's'} for drafting.`
				: 'Every image already has a draft.'
		};
	},
	mask: async (event) => {
		requireRole(event, 'admin');
		const d = await db();
		const subject = await getSubject(d, event.params.id);
		if (!subject) error(404, 'No such subject.');
		const form = await event.request.formData();
		const imageId = z.string().uuid().safeParse(form.get('imageId'));
		const file = form.get('mask');
		if (!imageId.success || !(file instanceof File) || file.size === 0) {
			return fail(400, {
				message: 'Choose a mask image for a reference image.',
				fields: { mask: 'Required' }
			});
		}
		const mask = { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
		return actionOrRefusal(async () => {
			await setMask(d, subject.id, imageId.data, mask);
			return {
				ok: true,
				message: `Mask saved for ${subject.images.find((i) => i.id === imageId.data)?.filename}.`
			};
		});
	}
};
