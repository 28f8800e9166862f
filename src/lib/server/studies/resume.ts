import { and, count, desc, eq, gte } from 'drizzle-orm';
import { randomInt } from 'node:crypto';
import type { Db, Tx } from '../db';
import { participantResumes, participants, type Participant } from '../db/schema';

/**
 * Cross-device resume without takeover. A recruiter id (PROLIFIC_PID, workerId, pid) is not a
 * secret: anyone who learns it could otherwise open the study in a fresh browser and receive
 * that participant's cookie. A new browser gets an existing participant only with proof that
 * it is the same person: the same Prolific SESSION_ID (Prolific repeats it when the same
 * participant reopens the same submission), or the resume code the participant was shown.
 */

// No 0/O, 1/I/L: the code is read off one screen and typed on another.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const RESUME_CODE_LENGTH = 6;
/** Wrong codes per participant per hour before resuming by code is refused outright. */
export const MAX_CODE_FAILURES = 5;

export function newResumeCode(): string {
	let s = '';
	for (let i = 0; i < RESUME_CODE_LENGTH; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
	return s;
}

function normalCode(code: string): string {
	return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

export type ResumeProof = 'session' | 'code';

/** How this arrival proves to be the existing participant, or null when it does not. */
export function resumeProof(
	existing: Participant,
	externalIds: Record<string, string>,
	code: string | undefined
): ResumeProof | null {
	const session = existing.externalIds.SESSION_ID;
	if (session && externalIds.SESSION_ID === session) return 'session';
	if (code && existing.resumeCode && normalCode(code) === existing.resumeCode) return 'code';
	return null;
}

export async function recordResume(
	db: Db | Tx,
	studyId: string,
	participantId: string,
	outcome: 'session' | 'code' | 'refused'
): Promise<void> {
	await db.insert(participantResumes).values({ studyId, participantId, outcome });
}

/** Refused attempts in the last hour: past MAX_CODE_FAILURES, codes are no longer tried. */
export async function recentRefusals(db: Db | Tx, participantId: string): Promise<number> {
	const [{ n }] = await db
		.select({ n: count() })
		.from(participantResumes)
		.where(
			and(
				eq(participantResumes.participantId, participantId),
				eq(participantResumes.outcome, 'refused'),
				gte(participantResumes.at, new Date(Date.now() - 60 * 60 * 1000))
			)
		);
	return n;
}

export interface ResumeEvent {
	pseudonym: string;
	outcome: 'session' | 'code' | 'refused';
	at: Date;
}

/** The latest resume attempts of a study, for the admin live view. */
export async function recentResumes(db: Db, studyId: string, limit = 20): Promise<ResumeEvent[]> {
	return db
		.select({
			pseudonym: participants.pseudonym,
			outcome: participantResumes.outcome,
			at: participantResumes.at
		})
		.from(participantResumes)
		.innerJoin(participants, eq(participants.id, participantResumes.participantId))
		.where(eq(participantResumes.studyId, studyId))
		.orderBy(desc(participantResumes.at))
		.limit(limit);
}
