import { redirect } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { participantForRoute, studyForRoute } from '$lib/server/studies/session';
import { completeParticipant, NotFinished } from '$lib/server/studies/survey';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const study = await studyForRoute(event);
	const participant = await participantForRoute(event, study);
	if (!participant) redirect(303, `/s/${study.slug}`);
	try {
		const outcome = await completeParticipant(await db(), study, participant);
		return { title: study.title, ...outcome, preview: participant.preview };
	} catch (e) {
		if (e instanceof NotFinished) redirect(303, `/s/${study.slug}/q`);
		throw e;
	}
};
