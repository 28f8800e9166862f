import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import postgres from 'postgres';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import { seedStudyFixture } from '../testing/studies';
import type { Database } from '../db';
import { participants, responses, type Study } from '../db/schema';
import { Refusal } from '../http/refusal';
import { arrive } from './participants';
import { recordAnswer, recordAnswerByToken, type AnswerInput } from './answers';
import { loadSurvey } from './survey';

describe.each(DB_KINDS)('answers on %s', (kind) => {
	let d: Database & { url?: string };
	let study: Study;

	beforeAll(async () => {
		d = await freshDatabase(kind);
		study = await seedStudyFixture(d.db, { subjects: 4, prompts: 1, subjectsPerParticipant: 2 });
	});
	afterAll(() => d?.close());

	async function newParticipant(pid: string) {
		const { participant, token } = await arrive(d.db, study, { externalIds: { pid } });
		const survey = await loadSurvey(d.db, study, participant);
		return { participant, survey, token };
	}

	it('stores the same answer fired 10 times in parallel exactly once', async () => {
		const { participant, survey } = await newParticipant('parallel');
		const answer: AnswerInput = {
			id: crypto.randomUUID(),
			assignmentId: survey.screens[0].assignmentId,
			question: 'subject',
			choice: 'left',
			clientMs: 1234
		};
		const results = await Promise.all(
			Array.from({ length: 10 }, () => recordAnswer(d.db, study, participant, answer))
		);
		expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
		expect(new Set(results.map((r) => r.id))).toEqual(new Set([answer.id]));
		expect(new Set(results.map((r) => String(r.receivedAt))).size).toBe(1);
		const rows = await d.db.select().from(responses).where(eq(responses.id, answer.id));
		expect(rows).toHaveLength(1);
		expect(rows[0].clientMs).toBe(1234);
		expect(rows[0].chosenMethodId).not.toBeNull();
	});

	it('keeps the first answer when the same question comes again under another id', async () => {
		const { participant, survey } = await newParticipant('twice');
		const base = { assignmentId: survey.screens[1].assignmentId, question: 'text', clientMs: 10 };
		const first = await recordAnswer(d.db, study, participant, {
			...base,
			id: crypto.randomUUID(),
			choice: 'undecided'
		});
		const second = await recordAnswer(d.db, study, participant, {
			...base,
			id: crypto.randomUUID(),
			choice: 'right'
		});
		expect(second).toMatchObject({ id: first.id, choice: 'undecided', duplicate: true });
	});

	it("refuses answers to someone else's assignment and unknown questions", async () => {
		const a = await newParticipant('owner');
		const b = await newParticipant('intruder');
		const attempt = {
			id: crypto.randomUUID(),
			assignmentId: a.survey.screens[0].assignmentId,
			question: 'overall',
			choice: 'right' as const,
			clientMs: 5
		};
		await expect(recordAnswer(d.db, study, b.participant, attempt)).rejects.toMatchObject({
			status: 404
		});
		await expect(
			recordAnswer(d.db, study, a.participant, { ...attempt, question: 'nonsense' })
		).rejects.toBeInstanceOf(Refusal);
		const [{ n }] = await d.db
			.select({ n: count() })
			.from(responses)
			.where(eq(responses.id, attempt.id));
		expect(n).toBe(0);
	});

	it('stores through the cookie in one statement, and tells retries and strangers apart', async () => {
		const a = await newParticipant('by-token');
		const b = await newParticipant('by-token-other');
		const answer: AnswerInput = {
			id: crypto.randomUUID(),
			assignmentId: a.survey.screens[0].assignmentId,
			question: 'overall',
			choice: 'left',
			clientMs: 42
		};
		const results = await Promise.all(
			Array.from({ length: 10 }, () => recordAnswerByToken(d.db, study, a.token, answer))
		);
		expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
		expect(new Set(results.map((r) => r.id))).toEqual(new Set([answer.id]));
		const [row] = await d.db.select().from(responses).where(eq(responses.id, answer.id));
		expect(row.chosenMethodId).not.toBeNull();
		// Another participant's cookie, an unknown cookie, no cookie, an unknown question.
		const other = { ...answer, id: crypto.randomUUID(), question: 'text' };
		await expect(recordAnswerByToken(d.db, study, b.token, other)).rejects.toMatchObject({
			status: 404
		});
		await expect(recordAnswerByToken(d.db, study, 'nope', other)).rejects.toMatchObject({
			status: 401
		});
		await expect(recordAnswerByToken(d.db, study, undefined, other)).rejects.toMatchObject({
			status: 401
		});
		await expect(
			recordAnswerByToken(d.db, study, a.token, { ...other, question: 'nonsense' })
		).rejects.toMatchObject({ status: 400 });
		// After completion: a retry still gets its row, a new answer is refused.
		await d.db
			.update(participants)
			.set({ completedAt: new Date() })
			.where(eq(participants.id, a.participant.id));
		expect(await recordAnswerByToken(d.db, study, a.token, answer)).toMatchObject({
			id: answer.id,
			duplicate: true
		});
		await expect(recordAnswerByToken(d.db, study, a.token, other)).rejects.toMatchObject({
			status: 409
		});
		const [{ n }] = await d.db
			.select({ n: count() })
			.from(responses)
			.where(eq(responses.id, other.id));
		expect(n).toBe(0);
	});

	it.runIf(kind === 'postgres')(
		'loses nothing and doubles nothing when the connection is killed mid-submit and retried',
		async () => {
			const { participant, survey } = await newParticipant('killed');
			const answer: AnswerInput = {
				id: crypto.randomUUID(),
				assignmentId: survey.screens[0].assignmentId,
				question: 'overall',
				choice: 'right',
				clientMs: 777
			};
			// Hold a lock so the INSERT is in flight on the server, then kill its connection.
			const other = postgres(d.url!, { max: 1, onnotice: () => {} });
			const killer = postgres(d.url!, { max: 1, onnotice: () => {} });
			try {
				const reserved = await other.reserve();
				await reserved`begin`;
				await reserved`lock table responses in exclusive mode`;
				const submit = recordAnswer(d.db, study, participant, answer).then(
					() => null,
					(e: unknown) => e
				);
				let killed = 0;
				for (let i = 0; i < 100 && killed === 0; i++) {
					await new Promise((r) => setTimeout(r, 50));
					const rows = await killer`select pg_terminate_backend(pid) as ok from pg_stat_activity
						where datname = current_database() and state = 'active'
						and wait_event_type = 'Lock' and query like 'insert into responses%'
						and pid <> pg_backend_pid()`;
					killed = rows.length;
				}
				expect(killed).toBe(1);
				expect(await submit).toBeInstanceOf(Error);
				await reserved`rollback`;
				reserved.release();
			} finally {
				await other.end();
				await killer.end();
			}
			const stored = await d.db.select().from(responses).where(eq(responses.id, answer.id));
			expect(stored).toHaveLength(0);
			// The browser retries with the same id: stored once; a second retry changes nothing.
			const retry = await recordAnswer(d.db, study, participant, answer);
			expect(retry.duplicate).toBe(false);
			const again = await recordAnswer(d.db, study, participant, answer);
			expect(again).toMatchObject({ id: answer.id, duplicate: true });
			const rows = await d.db.select().from(responses).where(eq(responses.id, answer.id));
			expect(rows).toHaveLength(1);
		}
	);
});
