import { redirect } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { cachedStudyForRoute, participantForRoute } from '$lib/server/studies/session';
import { completeParticipant, loadSurvey } from '$lib/server/studies/survey';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const study = await cachedStudyForRoute(event);
	const participant = await participantForRoute(event, study);
	if (!participant) redirect(303, `/s/${study.slug}${event.url.search}`);
	if (participant.completedAt) redirect(303, `/s/${study.slug}/done`);
	const d = await db();
	const survey = await loadSurvey(d, study, participant);
	if (survey.answered.length >= survey.problems.length) {
		await completeParticipant(d, study, participant);
		redirect(303, `/s/${study.slug}/done`);
	}
	return {
		study: {
			slug: study.slug,
			title: study.title,
			instructions: study.instructions,
			standInImages: study.standInImages
		},
		preview: participant.preview,
		resumeCode: participant.resumeCode,
		...survey
	};
};
