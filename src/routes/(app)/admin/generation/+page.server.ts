import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { parseForm } from '$lib/server/http/body';
import { parseGenerationForm } from '$lib/server/generation/form';
import { BASELINE_METHOD, SID_METHOD, listGpuMethods } from '$lib/server/generation/methods';
import {
	cancelRun,
	createComparisonRuns,
	listRuns,
	retryRun,
	subjectsForForm
} from '$lib/server/generation/runs';
import {
	WORKER_FIX,
	WORKER_SEEN_MINUTES,
	workerCommand,
	workerPresence
} from '$lib/server/overview';
import { COMMON_TRAINING, PAPER_SAMPLING } from '$lib/server/generation/settings';
import { actionOrRefusal } from '$lib/server/http/refusal';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const d = await db();
	const methods = await listGpuMethods(d);
	return {
		subjects: await subjectsForForm(d),
		methods: methods.map((m) => ({
			id: m.id,
			name: m.name,
			trainer: m.trainer,
			descriptionCase: m.descriptionCase
		})),
		defaultA: methods.find((m) => m.name === BASELINE_METHOD)?.id ?? null,
		defaultB: methods.find((m) => m.name === SID_METHOD)?.id ?? null,
		training: COMMON_TRAINING,
		sampling: PAPER_SAMPLING,
		runs: await listRuns(d),
		worker: {
			...(await workerPresence(d)),
			minutes: WORKER_SEEN_MINUTES,
			fix: WORKER_FIX,
			command: workerCommand(event.url.origin)
		},
		// A fresh id per form shown: a double submit creates the runs once.
		requestId: crypto.randomUUID()
	};
};

const runForm = z.object({ runId: z.uuid('Pick a run.') });

export const actions: Actions = {
	generate: async (event) => {
		const admin = requireRole(event, 'admin');
		const form = parseGenerationForm(await event.request.formData());
		if (!form.ok) return fail(400, { message: form.message });
		const d = await db();
		return actionOrRefusal(async () => {
			const ids = await createComparisonRuns(d, form.data, admin.id);
			const queued = `Queued ${ids.length} run${ids.length === 1 ? '' : 's'}.`;
			const waiting = (await workerPresence(d)).seenRecently === 0;
			return {
				ok: true,
				message: waiting
					? `${queued} No GPU worker is connected: they wait in the queue until one calls in.`
					: queued
			};
		});
	},
	cancel: async (event) => {
		requireRole(event, 'admin');
		const form = parseForm(await event.request.formData(), runForm);
		if (!form.ok) return fail(400, { message: form.message });
		if (!(await cancelRun(await db(), form.data.runId)))
			return fail(404, { message: 'No such run.' });
		return { ok: true, message: 'Cancelling: a running job stops at its next step.' };
	},
	retry: async (event) => {
		requireRole(event, 'admin');
		const form = parseForm(await event.request.formData(), runForm);
		if (!form.ok) return fail(400, { message: form.message });
		if (!(await retryRun(await db(), form.data.runId)))
			return fail(404, { message: 'No such run.' });
		return { ok: true, message: 'Queued again.' };
	}
};
