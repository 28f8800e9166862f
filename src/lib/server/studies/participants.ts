import { and, count, eq, getTableColumns, isNotNull, sql } from 'drizzle-orm';
import type { Cookies } from '@sveltejs/kit';
import { hotRows, type Db, type Tx } from '../db';
import { participants, participantTokens, type Participant, type Study } from '../db/schema';
import { generateToken, hashToken } from '../auth/tokens';
import { arriveAndAssign, type Newcomer } from './assign';
import { ensureSlots } from './slots';
import { getStudy } from './studies';
import { refuse } from '../http/refusal';
import { rateLimited } from '../auth/throttle';
import { config } from '../config';
import {
	MAX_CODE_FAILURES,
	newResumeCode,
	recentRefusals,
	recordResume,
	resumeProof,
	type ResumeProof
} from './resume';

/** URL parameters recruiters append; the first present one identifies the participant. */
export const EXTERNAL_ID_KEYS = [
	'PROLIFIC_PID',
	'STUDY_ID',
	'SESSION_ID',
	'workerId',
	'assignmentId',
	'hitId',
	'pid'
] as const;
const IDENTIFYING = ['PROLIFIC_PID', 'workerId', 'pid'] as const;

export function externalIdsFrom(params: URLSearchParams): Record<string, string> {
	const out: Record<string, string> = {};
	for (const k of EXTERNAL_ID_KEYS) {
		const v = params.get(k)?.trim();
		if (v && v.length <= 200 && ![...v].some((c) => c.charCodeAt(0) < 32)) out[k] = v;
	}
	return out;
}

export function identifyingId(ids: Record<string, string>): string | null {
	for (const k of IDENTIFYING) if (ids[k]) return `${k}:${ids[k]}`;
	return null;
}

export type ArrivalRefusal =
	'full' | 'closed' | 'link-used' | 'link-unknown' | 'no-items' | 'too-many';

/** Refuses an arrival; `reason` lets tests and pages tell the cases apart. */
function refuseArrival(
	status: number,
	reason: ArrivalRefusal | 'needs-proof' | 'known-id',
	message: string
): never {
	refuse(status, message, {}, { reason });
}

function pseudonym(): string {
	return `P-${generateToken().slice(0, 8).toUpperCase()}`;
}

async function issueToken(tx: Tx | Db, participantId: string): Promise<string> {
	const token = generateToken();
	await tx.insert(participantTokens).values({ tokenHash: hashToken(token), participantId });
	return token;
}

/**
 * A participant arrives and consents: a known external id resumes its participant on another
 * device only with proof (see resume.ts), and every such attempt is recorded (two devices
 * arriving at once: the unique (study, external id) decides who is new); a personal link is
 * claimed once; the quota is checked; otherwise a new participant is created and assigned in
 * one statement (`arriveAndAssign`), so a burst of arrivals queues only inside the database,
 * for the few milliseconds each assignment takes. Returns a fresh cookie token.
 */
/**
 * Consent starts per study and client address: a script must not fill a study (or try resume
 * codes) at database speed. Generous, because a lab or a campus shares one address.
 */
async function limitArrivals(db: Db, studyId: string, address: string): Promise<void> {
	const limit = config().CONSENT_STARTS_PER_MINUTE;
	const wait = await rateLimited(db, `arrivals:${studyId}:${address}`, limit, 60_000);
	if (wait > 0) {
		refuseArrival(
			429,
			'too-many',
			`Many people have started this study from your network just now. Please try again in ${Math.ceil(wait / 1000)} seconds.`
		);
	}
}

export async function arrive(
	db: Db,
	study: Study,
	opts: {
		externalIds?: Record<string, string>;
		linkToken?: string;
		preview?: boolean;
		resumeCode?: string;
		/** The client address of a consent start or resume (counted per study). */
		address?: string;
	}
): Promise<{ participant: Participant; token: string; resumed: ResumeProof | false }> {
	const externalIds = opts.externalIds ?? {};
	const externalId = identifyingId(externalIds);
	const preview = opts.preview ?? false;
	if (opts.address && !preview) await limitArrivals(db, study.id, opts.address);
	const resume = async () => {
		if (!externalId || preview) return null;
		const [existing] = await db
			.select()
			.from(participants)
			.where(and(eq(participants.studyId, study.id), eq(participants.externalId, externalId)));
		if (!existing) return null;
		let proof = resumeProof(existing, externalIds, opts.resumeCode);
		// A study that must keep one id on one device accepts only the Prolific session.
		if (proof === 'code' && study.unprovenResume === 'refuse') proof = null;
		if (!proof && study.unprovenResume === 'refuse') {
			await recordResume(db, study.id, existing.id, 'refused');
			refuseArrival(
				403,
				'known-id',
				'Someone with this participant ID has already started this study in another browser, ' +
					'and this study can only be continued there.'
			);
		}
		if (
			!proof ||
			(proof === 'code' && (await recentRefusals(db, existing.id)) >= MAX_CODE_FAILURES)
		) {
			await recordResume(db, study.id, existing.id, 'refused');
			refuseArrival(
				403,
				'needs-proof',
				'Someone with this participant ID has already started this study in another browser. ' +
					'If that was you, enter the resume code shown there to continue.'
			);
		}
		await recordResume(db, study.id, existing.id, proof);
		return { participant: existing, token: await issueToken(db, existing.id), resumed: proof };
	};
	// The caller's copy may come from the short study cache: one that says "not open" may be
	// from just before the study opened (the arrival statement itself refuses a closed study).
	if (!preview && study.state !== 'open') study = (await getStudy(db, study.id)) ?? study;
	if (!preview && (study.state !== 'open' || (await isFull(db, study)))) {
		// Those already in may come back to a closed or full study.
		const back = await resume();
		if (back) return back;
		if (study.state !== 'open') {
			refuseArrival(409, 'closed', 'This study is not accepting participants right now.');
		}
		refuseArrival(
			409,
			'full',
			'This study has all the participants it needs. Thank you for your interest!'
		);
	}
	const at = new Date();
	const token = generateToken();
	const linkTokenHash = opts.linkToken ? hashToken(opts.linkToken) : null;
	const resumeCode = preview ? null : newResumeCode();
	const who: Newcomer = linkTokenHash
		? { kind: 'link', linkTokenHash, externalId, externalIds, resumeCode, at }
		: {
				kind: 'new',
				id: crypto.randomUUID(),
				pseudonym: pseudonym(),
				externalId: preview ? null : externalId,
				externalIds,
				preview,
				resumeCode,
				at
			};
	let created = await arriveAndAssign(db, study.id, who, hashToken(token));
	for (let tries = 1; created?.noSlot; tries++) {
		// No free slot of the schedule left (or none planned yet): plan the next batch, retry.
		if (!(await ensureSlots(db, study.id, study.subjectsPerParticipant))) {
			refuseArrival(409, 'no-items', 'This study has no comparisons yet.');
		}
		if (tries > 5) throw new Error('arrive: no free slot after planning five times');
		created = await arriveAndAssign(db, study.id, who, hashToken(token));
	}
	if (created) {
		const participant: Participant = {
			id: created.id,
			studyId: study.id,
			pseudonym: created.pseudonym,
			externalId: who.externalId,
			externalIds,
			linkTokenHash,
			preview: created.preview,
			resumeCode,
			consentedAt: at,
			startedAt: at,
			completedAt: null,
			attentionFailed: null,
			speeder: null,
			createdAt: new Date(created.created_at)
		};
		return { participant, token, resumed: false };
	}
	// Nobody was created: tell why.
	if (!linkTokenHash) {
		const back = await resume();
		if (back) return back;
	}
	if (!preview && (await getStudy(db, study.id))?.state !== 'open') {
		refuseArrival(409, 'closed', 'This study is not accepting participants right now.');
	}
	if (linkTokenHash) {
		const [known] = await db
			.select({ id: participants.id })
			.from(participants)
			.where(
				and(eq(participants.studyId, study.id), eq(participants.linkTokenHash, linkTokenHash))
			);
		if (!known) refuseArrival(404, 'link-unknown', 'This personal link is not valid.');
		refuseArrival(409, 'link-used', 'This personal link has already been used.');
	}
	throw new Error('arrive: nobody created, for no known reason');
}

/** The participant a cookie token belongs to, within one study. */
export async function participantByToken(
	db: Db,
	studyId: string,
	token: string | undefined
): Promise<Participant | null> {
	if (!token) return null;
	// Raw and prepared (hotRows): every question page and answer retry of a burst runs it. The
	// columns and their mapping come from the schema, as drizzle's own select would use them.
	const [row] = await hotRows<Record<string, unknown>>(
		db,
		sql`select ${PARTICIPANT_COLUMNS} from participant_tokens t
			join participants on participants.id = t.participant_id
			where t.token_hash = ${hashToken(token)} and participants.study_id = ${studyId}::uuid`
	);
	if (!row) return null;
	return Object.fromEntries(
		Object.entries(getTableColumns(participants)).map(([key, column]) => [
			key,
			row[key] === null ? null : column.mapFromDriverValue(row[key])
		])
	) as Participant;
}

const PARTICIPANT_COLUMNS = sql.join(
	Object.entries(getTableColumns(participants)).map(
		([key, column]) => sql`${column} as ${sql.identifier(key)}`
	),
	sql`, `
);

/** Creates `n` personal single-use links; only their hashes are kept, so show them once. */
export async function createPersonalLinks(db: Db, studyId: string, n: number): Promise<string[]> {
	const tokens = Array.from({ length: n }, () => generateToken());
	await db
		.insert(participants)
		.values(tokens.map((t) => ({ studyId, pseudonym: pseudonym(), linkTokenHash: hashToken(t) })));
	return tokens;
}

export function participantCookieName(slug: string): string {
	return `sid_p_${slug}`;
}

export function setParticipantCookie(cookies: Cookies, url: URL, slug: string, token: string) {
	cookies.set(participantCookieName(slug), token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		maxAge: 60 * 60 * 24 * 90
	});
}

/** Whether a participant with this recruiter id exists already (resume instead of consent). */
export async function participantIdByExternal(
	db: Db,
	studyId: string,
	externalIds: Record<string, string>
): Promise<string | null> {
	const externalId = identifyingId(externalIds);
	if (!externalId) return null;
	const [row] = await db
		.select({ id: participants.id })
		.from(participants)
		.where(and(eq(participants.studyId, studyId), eq(participants.externalId, externalId)));
	return row?.id ?? null;
}

/** Whether the study has reached its target of completed (non-preview) participants. */
export async function isFull(db: Db | Tx, study: Study): Promise<boolean> {
	if (study.targetCompletions === null) return false;
	const [{ n }] = await db
		.select({ n: count() })
		.from(participants)
		.where(
			and(
				eq(participants.studyId, study.id),
				eq(participants.preview, false),
				isNotNull(participants.completedAt)
			)
		);
	return n >= study.targetCompletions;
}
