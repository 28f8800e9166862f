import { error, json } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { participantForRoute, studyForRoute } from '$lib/server/studies/session';
import { orRefusal } from '$lib/server/http/refusal';
import { completeParticipant } from '$lib/server/studies/survey';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => {
	const study = await studyForRoute(event);
	const participant = await participantForRoute(event, study);
	if (!participant) error(401, 'Your session for this study was not found. Reload the page.');
	const d = await db();
	return json(await orRefusal(() => completeParticipant(d, study, participant)));
};
