import { error, json } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { participantForRoute, studyForRoute } from '$lib/server/studies/session';
import { completeParticipant, NotFinished } from '$lib/server/studies/survey';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => {
	const study = await studyForRoute(event);
	const participant = await participantForRoute(event, study);
	if (!participant) error(401, 'Your session for this study was not found. Reload the page.');
	try {
		return json(await completeParticipant(await db(), study, participant));
	} catch (e) {
		if (e instanceof NotFinished) error(409, e.message);
		throw e;
	}
};
