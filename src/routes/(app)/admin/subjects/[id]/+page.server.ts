import { error, fail } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { addReferenceImages, getSubject, UploadRejected } from '$lib/server/subjects/subjects';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const subject = await getSubject(await db(), event.params.id);
	if (!subject) error(404, 'No such subject.');
	return { subject };
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
		try {
			const added = await addReferenceImages(
				d,
				subject.id,
				await Promise.all(
					files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) }))
				)
			);
			return { message: `Added ${added} image${added === 1 ? '' : 's'}.` };
		} catch (e) {
			if (e instanceof UploadRejected) return fail(400, { error: e.message });
			throw e;
		}
	}
};
