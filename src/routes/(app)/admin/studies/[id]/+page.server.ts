import { error, fail } from '@sveltejs/kit';
import { count, eq } from 'drizzle-orm';
import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { items, methods, studyState } from '$lib/server/db/schema';
import { parseForm } from '$lib/server/http/body';
import { actionOrRefusal } from '$lib/server/http/refusal';
import { importSamplesZip } from '$lib/server/studies/import';
import { buildStudyItems } from '$lib/server/studies/items';
import { createPersonalLinks } from '$lib/server/studies/participants';
import {
	getStudy,
	hasResponses,
	setStudyMethods,
	setStudyState,
	studyMethodList,
	studySettingsInput,
	updateStudySettings
} from '$lib/server/studies/studies';
import type { Actions, PageServerLoad } from './$types';
import { recordAudit } from '$lib/server/audit/trail';

const MAX_ZIP_BYTES = 100 * 1024 * 1024;

/** k ≥ 2 methods, in the order they are listed (the first of a pair is its image A). */
const methodNames = z
	.array(z.string().max(120, 'A method name is at most 120 characters.'))
	.min(2, 'Name at least two methods.')
	.max(8, 'A study compares at most 8 methods (28 pairs).')
	.refine((names) => new Set(names).size === names.length, 'Choose different methods.');

async function studyOr404(id: string) {
	if (!z.uuid().safeParse(id).success) error(404, 'No such study.');
	const study = await getStudy(await db(), id);
	if (!study) error(404, 'No such study.');
	return study;
}

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const study = await studyOr404(event.params.id);
	const d = await db();
	const [{ n }] = await d.select({ n: count() }).from(items).where(eq(items.studyId, study.id));
	return {
		study,
		methods: await studyMethodList(d, study.id),
		knownMethods: (await d.select({ name: methods.name }).from(methods)).map((m) => m.name),
		items: n,
		locked: await hasResponses(d, study.id),
		origin: event.url.origin
	};
};

export const actions: Actions = {
	settings: async (event) => {
		requireRole(event, 'admin');
		const study = await studyOr404(event.params.id);
		const form = await event.request.formData();
		const fields = Object.fromEntries(form);
		const parsed = studySettingsInput.safeParse({
			...fields,
			attentionCheck: form.get('attentionCheck') ?? false,
			questions: study.questions.map((q) => ({
				key: q.key,
				text: form.get(`q.${q.key}`) ?? q.text
			}))
		});
		if (!parsed.success) {
			return fail(400, { message: parsed.error.issues.map((i) => i.message).join(' ') });
		}
		await updateStudySettings(await db(), study.id, parsed.data);
		return { ok: true, message: 'Settings saved.' };
	},
	methods: async (event) => {
		requireRole(event, 'admin');
		const study = await studyOr404(event.params.id);
		const form = await event.request.formData();
		const parsed = methodNames.safeParse(
			form
				.getAll('method')
				.map((v) => String(v).trim())
				.filter((v) => v !== '')
		);
		if (!parsed.success) return fail(400, { message: parsed.error.issues[0].message });
		const d = await db();
		return actionOrRefusal(async () => {
			await setStudyMethods(d, study.id, parsed.data);
			return { ok: true, message: `${parsed.data.length} methods saved.` };
		});
	},
	state: async (event) => {
		const admin = requireRole(event, 'admin');
		const study = await studyOr404(event.params.id);
		const parsed = parseForm(
			await event.request.formData(),
			z.object({ state: z.enum(studyState.enumValues) })
		);
		if (!parsed.ok) return fail(400, { message: parsed.message });
		const d = await db();
		await setStudyState(d, study.id, parsed.data.state);
		await recordAudit(d, {
			actorId: admin.id,
			action: 'study.state',
			target: `study:${study.slug}`,
			detail: { from: study.state, to: parsed.data.state },
			address: event.getClientAddress()
		});
		return { ok: true, message: `The study is now ${parsed.data.state}.` };
	},
	import: async (event) => {
		requireRole(event, 'admin');
		const study = await studyOr404(event.params.id);
		const d = await db();
		if (await hasResponses(d, study.id)) {
			return fail(409, { message: 'Participants have answered: the items can no longer change.' });
		}
		const form = await event.request.formData();
		const file = form.get('zip');
		if (!(file instanceof File) || file.size === 0)
			return fail(400, { message: 'Choose a ZIP file.', fields: { zip: 'Required' } });
		if (file.size > MAX_ZIP_BYTES) {
			return fail(413, { message: `The archive is larger than ${MAX_ZIP_BYTES / 2 ** 20} MB.` });
		}
		const bytes = Buffer.from(await file.arrayBuffer());
		// A rejected archive fails with `problems`, every offending entry named.
		return actionOrRefusal(async () => {
			const result = await importSamplesZip(d, bytes);
			const built = await buildStudyItems(d, study.id);
			return {
				ok: true,
				message: `Imported ${result.images} images (${result.added} new) into ${result.runs} runs; ${built} new items.`
			};
		});
	},
	items: async (event) => {
		requireRole(event, 'admin');
		const study = await studyOr404(event.params.id);
		const d = await db();
		return actionOrRefusal(async () => {
			const built = await buildStudyItems(d, study.id);
			return { ok: true, message: `${built} new items.` };
		});
	},
	links: async (event) => {
		requireRole(event, 'admin');
		const study = await studyOr404(event.params.id);
		const parsed = parseForm(
			await event.request.formData(),
			z.object({ n: z.coerce.number().int().min(1, 'At least one link.').max(1000) })
		);
		if (!parsed.ok) return fail(400, { message: parsed.message });
		const tokens = await createPersonalLinks(await db(), study.id, parsed.data.n);
		return {
			ok: true,
			message: `${tokens.length} personal links created. Copy them now: they are not shown again.`,
			links: tokens.map((t) => `${event.url.origin}/s/${study.slug}?t=${t}`)
		};
	}
};
