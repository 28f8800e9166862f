import { error, json } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { readJson } from '$lib/server/http/body';
import { orRefusal } from '$lib/server/http/refusal';
import { answerInput, recordAnswer } from '$lib/server/studies/answers';
import { participantForRoute, studyForAnswers } from '$lib/server/studies/session';
import type { RequestHandler } from './$types';

/** One answer, idempotent by its client id: a retry returns the row stored the first time. */
export const POST: RequestHandler = async (event) => {
	const study = await studyForAnswers(event);
	const participant = await participantForRoute(event, study);
	if (!participant) error(401, 'Your session for this study was not found. Reload the page.');
	const input = await readJson(event.request, answerInput, 4096);
	const d = await db();
	const stored = await orRefusal(() => recordAnswer(d, study, participant, input));
	return json(stored, { status: stored.duplicate ? 200 : 201 });
};
