import { json } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { readJson } from '$lib/server/http/body';
import { orRefusal } from '$lib/server/http/refusal';
import { answerInput, recordAnswerByToken } from '$lib/server/studies/answers';
import { participantCookieName } from '$lib/server/studies/participants';
import { cachedStudyForRoute } from '$lib/server/studies/session';
import type { RequestHandler } from './$types';

/**
 * One answer, idempotent by its client id: a retry returns the row stored the first time.
 * The cookie is resolved inside the insert (one round trip); see `recordAnswerByToken`.
 */
export const POST: RequestHandler = async (event) => {
	const study = await cachedStudyForRoute(event);
	const input = await readJson(event.request, answerInput, 4096);
	const token = event.cookies.get(participantCookieName(study.slug));
	const stored = await orRefusal(async () => recordAnswerByToken(await db(), study, token, input));
	return json(stored, { status: stored.duplicate ? 200 : 201 });
};
