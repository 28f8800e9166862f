import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { hotRows, queryRows, type Db } from '../db';
import { choice, type Participant, type Study } from '../db/schema';
import { hashToken } from '../auth/tokens';
import { refuse } from '../http/refusal';
import { participantByToken } from './participants';

export const answerInput = z.object({
	id: z.uuid(),
	assignmentId: z.uuid(),
	question: z.string().min(1).max(40),
	choice: z.enum(choice.enumValues),
	clientMs: z
		.number()
		.int()
		.min(0)
		.max(24 * 60 * 60 * 1000)
});
export type AnswerInput = z.infer<typeof answerInput>;

export interface StoredAnswer {
	id: string;
	assignmentId: string;
	question: string;
	choice: 'left' | 'right' | 'undecided';
	receivedAt: string;
}

/** 'attention' is valid only when the study has attention checks. */
export function validQuestion(study: Study, question: string): boolean {
	if (question === 'attention') return study.attentionCheck;
	return study.questions.some((q) => q.key === question);
}

/** The chosen sample's method, resolved from the placement fixed at assignment time. */
const chosenMethod = (choice: AnswerInput['choice']) =>
	sql`(select r.method_id from samples s join runs r on r.id = s.run_id
		where s.id = case ${choice} when 'left' then a.left_sample_id
			when 'right' then a.right_sample_id end)`;

/**
 * Stores one answer in a single statement. The browser's id makes retries and double
 * submits idempotent (the first stored row is returned each time); the join on the
 * participant makes sure nobody answers someone else's assignment. The chosen method is
 * resolved from the left/right placement fixed at assignment time.
 */
export async function recordAnswer(
	db: Db,
	study: Study,
	participant: Participant,
	a: AnswerInput
): Promise<StoredAnswer & { duplicate: boolean }> {
	if (!validQuestion(study, a.question)) refuse(400, 'Unknown question.');
	if (participant.completedAt) {
		// Answers after completion would change a finished record; retries still get their row.
		const existing = await findAnswer(db, participant.id, a);
		if (existing) return { ...existing, duplicate: true };
		refuse(409, 'You have already completed this study.');
	}
	const inserted = await queryRows<StoredAnswer>(
		db,
		sql`insert into responses (id, assignment_id, question, choice, chosen_method_id, client_ms)
		select ${a.id}::uuid, a.id, ${a.question}, ${a.choice}::choice,
${chosenMethod(a.choice)}, ${a.clientMs}
		from assignments a
		where a.id = ${a.assignmentId}::uuid and a.participant_id = ${participant.id}::uuid
		on conflict do nothing
		returning id, assignment_id as "assignmentId", question, choice, received_at as "receivedAt"`
	);
	if (inserted.length) return { ...inserted[0], duplicate: false };
	const existing = await findAnswer(db, participant.id, a);
	if (existing) return { ...existing, duplicate: true };
	refuse(404, 'This question is not part of your survey.');
}

/**
 * The hot path of a burst: the cookie's token, its participant and the insert in one
 * statement, so a first answer costs one round trip to the database. Only what is not a
 * plain first answer (a retry, a completed participant, an unknown cookie or assignment)
 * falls back to `recordAnswer`, which tells these cases apart. Committed (autocommit) before
 * the caller acknowledges it; idempotent by the browser's id as `recordAnswer` is.
 */
export async function recordAnswerByToken(
	db: Db,
	study: Study,
	token: string | undefined,
	a: AnswerInput
): Promise<StoredAnswer & { duplicate: boolean }> {
	if (!token) refuse(401, 'Your session for this study was not found. Reload the page.');
	if (!validQuestion(study, a.question)) refuse(400, 'Unknown question.');
	const inserted = await hotRows<StoredAnswer>(
		db,
		sql`insert into responses (id, assignment_id, question, choice, chosen_method_id, client_ms)
		select ${a.id}::uuid, a.id, ${a.question}, ${a.choice}::choice, ${chosenMethod(a.choice)},
			${a.clientMs}
		from participant_tokens t
		join participants p on p.id = t.participant_id
		join assignments a on a.participant_id = p.id
		where t.token_hash = ${hashToken(token)} and p.study_id = ${study.id}::uuid
			and p.completed_at is null and a.id = ${a.assignmentId}::uuid
		on conflict do nothing
		returning id, assignment_id as "assignmentId", question, choice, received_at as "receivedAt"`
	);
	if (inserted.length) return { ...inserted[0], duplicate: false };
	const participant = await participantByToken(db, study.id, token);
	if (!participant) refuse(401, 'Your session for this study was not found. Reload the page.');
	return recordAnswer(db, study, participant, a);
}

/** The stored row for this id, or for the same question answered under another id. */
async function findAnswer(
	db: Db,
	participantId: string,
	a: AnswerInput
): Promise<StoredAnswer | null> {
	const rows = await queryRows<StoredAnswer>(
		db,
		sql`select r.id, r.assignment_id as "assignmentId", r.question, r.choice, r.received_at as "receivedAt"
		from responses r join assignments a on a.id = r.assignment_id
		where a.participant_id = ${participantId}::uuid
			and (r.id = ${a.id}::uuid or (r.assignment_id = ${a.assignmentId}::uuid and r.question = ${a.question}))
		order by (r.id = ${a.id}::uuid) desc limit 1`
	);
	return rows[0] ?? null;
}
