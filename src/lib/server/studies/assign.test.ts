import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq, sql } from 'drizzle-orm';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import { seedStudyFixture } from '../testing/studies';
import { queryRows, type Database } from '../db';
import { participants, type Study } from '../db/schema';
import { Refusal } from '../http/refusal';
import { arrive, createPersonalLinks, participantByToken } from './participants';
import { chiSquareP, chiSquareTest } from './stats';
import { completeParticipant, loadSurvey } from './survey';
import { recordAnswer } from './answers';
import { ensureSlots, resetSlots } from './slots';
import { setStudyState } from './studies';

describe('chi-square p-values', () => {
	it('match known table values', () => {
		expect(chiSquareP(3.841, 1)).toBeCloseTo(0.05, 3);
		expect(chiSquareP(6.635, 1)).toBeCloseTo(0.01, 3);
		expect(chiSquareP(11.07, 5)).toBeCloseTo(0.05, 3);
		expect(chiSquareP(0, 3)).toBe(1);
		expect(chiSquareTest([60, 40], [50, 50]).p).toBeCloseTo(0.0455, 3);
	});
});

describe.each(DB_KINDS)('assignment on %s', (kind) => {
	let d: Database;
	let study: Study;

	beforeAll(async () => {
		d = await freshDatabase(kind);
		study = await seedStudyFixture(d.db, { subjects: 12, prompts: 2 });
	}, 120_000);
	afterAll(() => d?.close());

	it('keeps 300 simultaneous arrivals balanced', async () => {
		// A short first batch, so most of the burst finds the schedule used up and plans more
		// while the others are claiming.
		await resetSlots(d.db, study.id);
		await ensureSlots(d.db, study.id, study.subjectsPerParticipant, 64);
		const arrivals = await Promise.all(
			Array.from({ length: 300 }, (_, i) =>
				arrive(d.db, study, { externalIds: { PROLIFIC_PID: `p${i}` } })
			)
		);
		expect(new Set(arrivals.map((a) => a.participant.id)).size).toBe(300);

		const perSubject = await queryRows<{ n: number }>(
			d.db,
			sql`select count(*)::int as n from assignments a join items i on i.id = a.item_id
				group by i.subject_id`
		);
		expect(perSubject).toHaveLength(12);
		const ns = perSubject.map((r) => r.n);
		expect(Math.max(...ns) - Math.min(...ns)).toBeLessThanOrEqual(1);
		expect(ns.reduce((a, b) => a + b, 0)).toBe(3000);

		const dupes = await queryRows<{ n: number }>(
			d.db,
			sql`select count(*)::int as n from assignments a join items i on i.id = a.item_id
				group by a.participant_id, i.subject_id having count(*) > 1`
		);
		expect(dupes).toHaveLength(0);

		// The claimed slots are the schedule's first 300, one per participant, and everyone was
		// given exactly their slot: its items, in its order, on its sides.
		const [claimed] = await queryRows<{ n: number; people: number; last: number }>(
			d.db,
			sql`select count(*)::int as n, count(distinct participant_id)::int as people,
				max(n)::int as last from assignment_slots where participant_id is not null`
		);
		expect(claimed).toEqual({ n: 300, people: 300, last: 299 });
		const [{ off }] = await queryRows<{ off: number }>(
			d.db,
			sql`select count(*)::int as off from assignments a
				join assignment_slots s on s.participant_id = a.participant_id
				join items i on i.id = a.item_id
				where a.item_id <> s.item_ids[a.position + 1]
					or (a.left_sample_id = i.sample_a_id) <> s.a_on_left[a.position + 1]`
		);
		expect(off).toBe(0);

		// Left/right placement of each method across all participants.
		const placement = await queryRows<{ method_id: string; left: number; total: number }>(
			d.db,
			sql`select r.method_id,
				(count(*) filter (where s.id = a.left_sample_id))::int as left, count(*)::int as total
			from assignments a join samples s on s.id in (a.left_sample_id, a.right_sample_id)
			join runs r on r.id = s.run_id group by r.method_id`
		);
		expect(placement).toHaveLength(2);
		for (const m of placement) {
			const { p } = chiSquareTest([m.left, m.total - m.left], [m.total / 2, m.total / 2]);
			expect(p).toBeGreaterThan(0.01);
		}
	}, 120_000);

	it('resumes the same Prolific session instead of assigning again, even when simultaneous', async () => {
		const ids = { PROLIFIC_PID: 'P-SAME', SESSION_ID: 'S-1' };
		const runs = await Promise.all(
			Array.from({ length: 5 }, () => arrive(d.db, study, { externalIds: ids }))
		);
		expect(new Set(runs.map((r) => r.participant.id)).size).toBe(1);
		expect(runs.filter((r) => !r.resumed)).toHaveLength(1);
		// Each device got its own cookie, all pointing at the one participant.
		for (const r of runs) {
			expect((await participantByToken(d.db, study.id, r.token))?.id).toBe(runs[0].participant.id);
		}
		// The prepared lookup gives exactly the row drizzle's own select gives.
		const [row] = await d.db
			.select()
			.from(participants)
			.where(eq(participants.id, runs[0].participant.id));
		expect(await participantByToken(d.db, study.id, runs[0].token)).toEqual(row);
		const survey = await loadSurvey(d.db, study, runs[0].participant);
		expect(survey.screens).toHaveLength(10);
	});

	it('lets a personal link start exactly once', async () => {
		const [token] = await createPersonalLinks(d.db, study.id, 1);
		const first = await arrive(d.db, study, { linkToken: token });
		expect(first.resumed).toBe(false);
		await expect(arrive(d.db, study, { linkToken: token })).rejects.toMatchObject({
			status: 409,
			extra: { reason: 'link-used' }
		});
		await expect(arrive(d.db, study, { linkToken: 'nope' })).rejects.toBeInstanceOf(Refusal);
	});
});

describe.each(DB_KINDS)('assignment over three methods on %s', (kind) => {
	let d: Database;
	beforeAll(async () => {
		d = await freshDatabase(kind);
	}, 120_000);
	afterAll(() => d?.close());

	it('balances subjects, the pairs of methods within each subject, and sides per pair', async () => {
		const study = await seedStudyFixture(d.db, {
			subjects: 6,
			prompts: 2,
			slug: 'three',
			subjectsPerParticipant: 4,
			methods: ['M1', 'M2', 'M3']
		});
		await Promise.all(
			Array.from({ length: 90 }, (_, i) =>
				arrive(d.db, study, { externalIds: { PROLIFIC_PID: `k${i}` } })
			)
		);
		// 6 subjects × 3 pairs × 2 prompts.
		const [{ n }] = await queryRows<{ n: number }>(
			d.db,
			sql`select count(*)::int as n from items where study_id = ${study.id}::uuid`
		);
		expect(n).toBe(36);
		const perSubject = await queryRows<{ n: number }>(
			d.db,
			sql`select count(*)::int as n from assignments a join items i on i.id = a.item_id
				where i.study_id = ${study.id}::uuid group by i.subject_id`
		);
		const ns = perSubject.map((r) => r.n);
		expect(ns.reduce((a, b) => a + b, 0)).toBe(360);
		expect(Math.max(...ns) - Math.min(...ns)).toBeLessThanOrEqual(1);
		// Each subject was seen 60 times: 20 per pair of methods, give or take one.
		const perPair = await queryRows<{
			subject_id: string;
			pair: string;
			n: number;
			a_left: number;
		}>(
			d.db,
			sql`select i.subject_id, ra.method_id || ':' || rb.method_id as pair, count(*)::int as n,
				(count(*) filter (where a.left_sample_id = i.sample_a_id))::int as a_left
			from assignments a join items i on i.id = a.item_id
			join samples sa on sa.id = i.sample_a_id join runs ra on ra.id = sa.run_id
			join samples sb on sb.id = i.sample_b_id join runs rb on rb.id = sb.run_id
			where i.study_id = ${study.id}::uuid group by 1, 2`
		);
		expect(perPair).toHaveLength(18);
		for (const subject of new Set(perPair.map((r) => r.subject_id))) {
			const counts = perPair.filter((r) => r.subject_id === subject).map((p) => p.n);
			expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
		}
		// Left/right per pair of methods across the study: within one of half.
		const sides = new Map<string, { n: number; aLeft: number }>();
		for (const r of perPair) {
			const s = sides.get(r.pair) ?? { n: 0, aLeft: 0 };
			sides.set(r.pair, { n: s.n + r.n, aLeft: s.aLeft + r.a_left });
		}
		expect(sides.size).toBe(3);
		for (const s of sides.values()) expect(Math.abs(2 * s.aLeft - s.n)).toBeLessThanOrEqual(1);
	}, 120_000);
});

describe.each(DB_KINDS)('quota and preview on %s', (kind) => {
	let d: Database;
	beforeAll(async () => {
		d = await freshDatabase(kind);
	});
	afterAll(() => d?.close());

	it('goes by the study as it is now, not by the caller’s copy of it (the short cache)', async () => {
		const study = await seedStudyFixture(d.db, { subjects: 2, prompts: 1, slug: 'stale' });
		await setStudyState(d.db, study.id, 'closed');
		// A copy from just before the study closed admits nobody, and says why.
		await expect(arrive(d.db, study, { externalIds: { pid: 'late' } })).rejects.toMatchObject({
			status: 409,
			extra: { reason: 'closed' }
		});
		// A copy from just before it opened again does not turn anyone away.
		await setStudyState(d.db, study.id, 'open');
		const early = await arrive(d.db, { ...study, state: 'closed' }, { externalIds: { pid: 'x' } });
		expect(early.resumed).toBe(false);
		const [{ n }] = await d.db
			.select({ n: count() })
			.from(participants)
			.where(eq(participants.studyId, study.id));
		expect(n).toBe(1);
	});

	it('stops admitting at the target and does not count previews', async () => {
		const study = await seedStudyFixture(d.db, {
			subjects: 3,
			prompts: 1,
			slug: 'quota',
			subjectsPerParticipant: 2,
			targetCompletions: 1
		});
		const preview = await arrive(d.db, study, { preview: true });
		expect(preview.participant.preview).toBe(true);
		const { participant } = await arrive(d.db, study, { externalIds: { pid: 'a' } });
		const { screens, problems } = await loadSurvey(d.db, study, participant);
		expect(screens).toHaveLength(2);
		for (const p of problems) {
			await recordAnswer(d.db, study, participant, {
				id: crypto.randomUUID(),
				assignmentId: screens[p.screen].assignmentId,
				question: p.question,
				choice: 'left',
				clientMs: 200
			});
		}
		await completeParticipant(d.db, study, participant);
		const [done] = await d.db
			.select()
			.from(participants)
			.where(eq(participants.id, participant.id));
		expect(done.completedAt).not.toBeNull();
		expect(done.speeder).toBe(true);
		await expect(arrive(d.db, study, { externalIds: { pid: 'b' } })).rejects.toMatchObject({
			extra: { reason: 'full' }
		});
		// The completed participant still resumes with their code (and sees the completion page).
		const again = await arrive(d.db, study, {
			externalIds: { pid: 'a' },
			resumeCode: participant.resumeCode!
		});
		expect(again.resumed).toBe('code');
		const [{ n }] = await d.db
			.select({ n: count() })
			.from(participants)
			.where(eq(participants.studyId, study.id));
		expect(n).toBe(2);
	});
});
