import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { config } from '$lib/server/config';
import { parseForm } from '$lib/server/http/body';
import { vlmInstructionPurpose } from '$lib/server/db/schema';
import {
	currentInstruction,
	fillInstruction,
	instructionVersions,
	OBJECT_PRESETS,
	PRESET_TITLES,
	saveInstruction
} from '$lib/server/vlm/instructions';
import { vlmUsageTotals } from '$lib/server/vlm/usage';
import { queueDrafts } from '$lib/server/vlm/drafting';
import { listSubjects } from '$lib/server/subjects/subjects';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const d = await db();
	const purposes = vlmInstructionPurpose.enumValues;
	// The exact text a draft sends, shown for a real subject of the right kind when there is one.
	const subjects = await listSubjects(d);
	const example = (purpose: string) =>
		subjects.find((s) => (purpose === 'style') === (s.kind === 'style')) ?? {
			classNoun: purpose === 'style' ? 'painting' : 'dog',
			identifier: 'sks',
			name: null
		};
	const instructions = await Promise.all(
		purposes.map(async (purpose) => {
			const current = await currentInstruction(d, purpose);
			const ex = example(purpose);
			return {
				purpose,
				title: PRESET_TITLES[purpose],
				current,
				versions: (await instructionVersions(d, purpose)).length,
				sent: fillInstruction(current.text, ex),
				example: ex.name ?? `a ${ex.classNoun} with identifier ${ex.identifier}`
			};
		})
	);
	const c = config();
	return {
		instructions,
		presets: OBJECT_PRESETS.map((p) => ({ id: p, title: PRESET_TITLES[p] })),
		usage: await vlmUsageTotals(d),
		vlm: {
			model: c.VLM_MODEL,
			baseUrl: c.OPENAI_BASE_URL ?? 'OpenAI',
			configured: !!c.OPENAI_API_KEY,
			concurrency: c.VLM_CONCURRENCY,
			timeoutMs: c.VLM_TIMEOUT_MS
		}
	};
};

export const actions: Actions = {
	instruction: async (event) => {
		const user = requireRole(event, 'admin');
		const form = parseForm(
			await event.request.formData(),
			z.object({
				purpose: z.enum(vlmInstructionPurpose.enumValues),
				text: z.string().trim().min(20, 'The instruction is too short.').max(8000)
			})
		);
		if (!form.ok) return fail(400, { message: form.message });
		const saved = await saveInstruction(await db(), form.data.purpose, form.data.text, user.id);
		return {
			ok: true,
			message: `Saved "${PRESET_TITLES[form.data.purpose]}" as version ${saved.version}.`
		};
	},
	draftAll: async (event) => {
		const user = requireRole(event, 'admin');
		if (!config().OPENAI_API_KEY)
			return fail(400, { message: 'Set OPENAI_API_KEY to draft with a VLM.' });
		const preset = z
			.enum(OBJECT_PRESETS)
			.catch('paper')
			.parse((await event.request.formData()).get('preset'));
		const d = await db();
		const ids = (await listSubjects(d)).map((s) => s.id);
		const n = await queueDrafts(d, { subjectIds: ids, requestedBy: user.id, preset });
		return { ok: true, message: `Queued ${n} image${n === 1 ? '' : 's'} without a draft.` };
	}
};
