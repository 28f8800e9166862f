import { fail, redirect } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { actionOrRefusal } from '$lib/server/http/refusal';
import {
	arrive,
	externalIdsFrom,
	identifyingId,
	isFull,
	participantIdByExternal,
	setParticipantCookie
} from '$lib/server/studies/participants';
import {
	cachedStudyForRoute,
	participantForRoute,
	studyForRoute
} from '$lib/server/studies/session';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

function isAdmin(locals: App.Locals): boolean {
	return locals.user?.role === 'admin';
}

export const load: PageServerLoad = async (event) => {
	const study = await studyForRoute(event);
	const preview = event.url.searchParams.get('preview') === '1' && isAdmin(event.locals);
	const existing = await participantForRoute(event, study);
	if (existing) redirect(303, `/s/${study.slug}/${existing.completedAt ? 'done' : 'q'}`);
	const externalIds = externalIdsFrom(event.url.searchParams);
	// A known recruiter id in a browser without its cookie: the same Prolific session resumes
	// at once; anyone else must give the participant's resume code (see studies/resume.ts).
	// A study set to refuse such arrivals (one id, one device) says so instead.
	let needsResumeCode = false;
	let knownIdRefused = false;
	if (identifyingId(externalIds) && !preview) {
		const d = await db();
		if (await participantIdByExternal(d, study.id, externalIds)) {
			if (externalIds.SESSION_ID) {
				const resumed = await arrive(d, study, { externalIds }).catch(() => null);
				if (resumed) {
					setParticipantCookie(event.cookies, event.url, study.slug, resumed.token);
					redirect(303, `/s/${study.slug}/${resumed.participant.completedAt ? 'done' : 'q'}`);
				}
			}
			if (study.unprovenResume === 'refuse') knownIdRefused = true;
			else needsResumeCode = true;
		}
	}
	return {
		study: {
			slug: study.slug,
			title: study.title,
			consent: study.consent,
			state: study.state,
			standInImages: study.standInImages
		},
		accepting: (study.state === 'open' && !(await isFull(await db(), study))) || preview,
		preview,
		needsResumeCode,
		knownIdRefused,
		externalIds,
		linkToken: event.url.searchParams.get('t') ?? ''
	};
};

/** Starts (or, with a resume code, resumes) the participant the form's ids name. */
async function begin(event: RequestEvent, form: FormData) {
	// From the short cache: every consent of a burst would read the same row; `arrive` checks
	// the state in the statement that admits, so a study closed a moment ago admits nobody.
	const study = await cachedStudyForRoute(event);
	const ids = new URLSearchParams();
	for (const [k, v] of form) if (typeof v === 'string') ids.set(k, v);
	const preview = form.get('preview') === '1' && isAdmin(event.locals);
	const linkToken = String(form.get('t') ?? '') || undefined;
	const resumeCode = String(form.get('resumeCode') ?? '') || undefined;
	const result = await actionOrRefusal(async () =>
		arrive(await db(), study, {
			externalIds: externalIdsFrom(ids),
			linkToken,
			preview,
			resumeCode,
			address: event.getClientAddress()
		})
	);
	if (!('participant' in result)) return result;
	setParticipantCookie(event.cookies, event.url, study.slug, result.token);
	redirect(303, `/s/${study.slug}/${result.participant.completedAt ? 'done' : 'q'}`);
}

export const actions: Actions = {
	start: async (event) => {
		const form = await event.request.formData();
		if (form.get('consent') !== 'yes') {
			return fail(400, {
				message: 'Please tick the box to confirm that you agree to take part.',
				fields: { consent: 'Required' }
			});
		}
		return begin(event, form);
	},
	resume: async (event) => begin(event, await event.request.formData())
};
