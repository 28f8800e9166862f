import { fail, redirect } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import {
	ArrivalRefused,
	arrive,
	externalIdsFrom,
	identifyingId,
	isFull,
	participantIdByExternal,
	setParticipantCookie
} from '$lib/server/studies/participants';
import { participantForRoute, studyForRoute } from '$lib/server/studies/session';
import type { Actions, PageServerLoad } from './$types';

function isAdmin(locals: App.Locals): boolean {
	return locals.user?.role === 'admin';
}

export const load: PageServerLoad = async (event) => {
	const study = await studyForRoute(event);
	const preview = event.url.searchParams.get('preview') === '1' && isAdmin(event.locals);
	const existing = await participantForRoute(event, study);
	if (existing) redirect(303, `/s/${study.slug}/${existing.completedAt ? 'done' : 'q'}`);
	const externalIds = externalIdsFrom(event.url.searchParams);
	// The same recruiter id on another device resumes its participant without a second consent.
	if (identifyingId(externalIds) && !preview) {
		const d = await db();
		if (await participantIdByExternal(d, study.id, externalIds)) {
			const { participant, token } = await arrive(d, study, { externalIds });
			setParticipantCookie(event.cookies, event.url, study.slug, token);
			redirect(303, `/s/${study.slug}/${participant.completedAt ? 'done' : 'q'}`);
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
		externalIds,
		linkToken: event.url.searchParams.get('t') ?? ''
	};
};

export const actions: Actions = {
	start: async (event) => {
		const study = await studyForRoute(event);
		const form = await event.request.formData();
		if (form.get('consent') !== 'yes') {
			return fail(400, { error: 'Please tick the box to confirm that you agree to take part.' });
		}
		const ids = new URLSearchParams();
		for (const [k, v] of form) if (typeof v === 'string') ids.set(k, v);
		const preview = form.get('preview') === '1' && isAdmin(event.locals);
		const linkToken = String(form.get('t') ?? '') || undefined;
		try {
			const { participant, token } = await arrive(await db(), study, {
				externalIds: externalIdsFrom(ids),
				linkToken,
				preview
			});
			setParticipantCookie(event.cookies, event.url, study.slug, token);
			redirect(303, `/s/${study.slug}/${participant.completedAt ? 'done' : 'q'}`);
		} catch (e) {
			if (e instanceof ArrivalRefused) return fail(409, { error: e.message });
			throw e;
		}
	}
};
