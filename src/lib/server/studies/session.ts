import { error, type RequestEvent } from '@sveltejs/kit';
import { db } from '../db';
import type { Participant, Study } from '../db/schema';
import { participantByToken, participantCookieName } from './participants';
import { getStudyBySlug } from './studies';

/** The study of a participant route; drafts are visible only to admins (preview). */
export async function studyForRoute(event: RequestEvent): Promise<Study> {
	return visible(event, await getStudyBySlug(await db(), event.params.slug ?? ''));
}

function visible(event: RequestEvent, study: Study | null): Study {
	// A draft's title and consent text are work in progress: to anyone else it does not exist.
	const hidden = study?.state === 'draft' && event.locals.user?.role !== 'admin';
	if (!study || hidden) error(404, 'There is no study at this address. Please check the link.');
	return study;
}

const cache = new Map<string, { study: Study; until: number }>();
const CACHE_MS = 2000;

/**
 * The hot paths of a burst (consent, the question page every arrival loads, the answers
 * endpoint) read the study from a short-lived in-process cache. Answers and the question page
 * do not depend on the study's state (a paused study still serves those already in it), its
 * questions and items are frozen once anyone has answered, and consent re-checks the state
 * where it matters (`arrive`: a stale "not open" is re-read, the admitting statement itself
 * requires "open"), so a stale second is harmless.
 */
export async function cachedStudyForRoute(event: RequestEvent): Promise<Study> {
	const slug = event.params.slug ?? '';
	const hit = cache.get(slug);
	if (hit && hit.until > Date.now()) return visible(event, hit.study);
	const study = await studyForRoute(event);
	cache.set(slug, { study, until: Date.now() + CACHE_MS });
	return study;
}

/** The participant this browser's cookie belongs to, in this study. */
export async function participantForRoute(
	event: RequestEvent,
	study: Study
): Promise<Participant | null> {
	return participantByToken(
		await db(),
		study.id,
		event.cookies.get(participantCookieName(study.slug))
	);
}
