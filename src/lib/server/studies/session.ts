import { error, type RequestEvent } from '@sveltejs/kit';
import { db } from '../db';
import type { Participant, Study } from '../db/schema';
import { participantByToken, participantCookieName } from './participants';
import { getStudyBySlug } from './studies';

/** The study of a participant route; drafts are visible only to admins (preview). */
export async function studyForRoute(event: RequestEvent): Promise<Study> {
	const study = await getStudyBySlug(await db(), event.params.slug ?? '');
	if (!study) error(404, 'There is no study at this address. Please check the link.');
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
