import { redirect } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { participantForRoute, studyForRoute } from '$lib/server/studies/session';
import { settle } from '$lib/server/http/refusal';
import { completeParticipant } from '$lib/server/studies/survey';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const study = await studyForRoute(event);
	const participant = await participantForRoute(event, study);
	if (!participant) redirect(303, `/s/${study.slug}`);
	const outcome = await settle(completeParticipant(await db(), study, participant));
	// Questions still open: back to them.
	if (!outcome.ok) redirect(303, `/s/${study.slug}/q`);
	return { title: study.title, ...outcome.value, preview: participant.preview };
};
