import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import { seedStudyFixture } from '../testing/studies';
import type { Database } from '../db';
import { items, participants } from '../db/schema';
import { arrive } from './participants';
import { recordAnswer } from './answers';
import { completeParticipant, loadSurvey } from './survey';
import { Refusal } from '../http/refusal';
import { buildStudyItems } from './items';
import { exclusionReasons, loadParticipants } from '../results/answers';
import { displayPrompt, setStudyMethods } from './studies';

describe('displayPrompt', () => {
	it('removes the identifier token only', () => {
		expect(displayPrompt('a sks dog in the snow', 'sks')).toBe('a dog in the snow');
		expect(displayPrompt('a sks backpack with the Eiffel Tower', 'sks')).toBe(
			'a backpack with the Eiffel Tower'
		);
	});
});

describe.each(DB_KINDS)('survey flow on %s', (kind) => {
	let d: Database;
	beforeAll(async () => {
		d = await freshDatabase(kind);
	});
	afterAll(() => d?.close());

	it('flags a failed attention check and a speeder, and completes only when all is answered', async () => {
		const study = await seedStudyFixture(d.db, {
			slug: 'attention',
			subjects: 3,
			prompts: 1,
			subjectsPerParticipant: 3,
			attentionCheck: true,
			attentionAnswer: 'undecided',
			speederMsPerQuestion: 1000
		});
		const { participant } = await arrive(d.db, study, { externalIds: { pid: 'x' } });
		const survey = await loadSurvey(d.db, study, participant);
		expect(survey.problems).toHaveLength(3 * 4 + 2);
		expect(survey.problems.filter((p) => p.question === 'attention')).toHaveLength(2);
		const check = survey.problems.find((p) => p.question === 'attention')!;
		expect(check.text).toMatch(/Cannot determine/);
		// Left/right are fixed: loading again gives the same screens in the same order.
		expect((await loadSurvey(d.db, study, participant)).screens).toEqual(survey.screens);

		await expect(completeParticipant(d.db, study, participant)).rejects.toMatchObject({
			status: 409,
			extra: { reason: 'not-finished' }
		});
		for (const p of survey.problems) {
			await recordAnswer(d.db, study, participant, {
				id: crypto.randomUUID(),
				assignmentId: survey.screens[p.screen].assignmentId,
				question: p.question,
				choice: 'left',
				clientMs: p.question === 'attention' ? 400 : 3000
			});
		}
		const outcome = await completeParticipant(d.db, study, participant);
		expect(outcome.code).toBe(study.completionCode);
		const [row] = await d.db.select().from(participants).where(eq(participants.id, participant.id));
		// The browser reported 3 s per question; by the server's clock it took milliseconds.
		expect(row).toMatchObject({ attentionFailed: true, speeder: true });
		// The results' exclusion rules see the flags.
		const [p] = (await loadParticipants(d.db, study.id)).filter((x) => x.id === participant.id);
		expect(exclusionReasons(p, { attention: 'off', speeders: false, incomplete: true })).toEqual(
			[]
		);
		expect(exclusionReasons(p, { attention: 'off', speeders: true, incomplete: true })).toEqual([
			'speeder'
		]);
		expect(exclusionReasons(p, { attention: 'any', speeders: false, incomplete: true })).toEqual([
			'attention'
		]);
		// Completing twice changes nothing.
		await completeParticipant(d.db, study, { ...participant, completedAt: row.completedAt });
		const [again] = await d.db
			.select()
			.from(participants)
			.where(eq(participants.id, participant.id));
		expect(again.completedAt).toEqual(row.completedAt);
	});

	it('freezes methods and items once someone answered, and rebuilds items when methods change before', async () => {
		const study = await seedStudyFixture(d.db, { slug: 'freeze', subjects: 2, prompts: 1 });
		const { participant } = await arrive(d.db, study, { externalIds: { pid: 'y' } });
		await setStudyMethods(d.db, study.id, ['Method Two', 'Method One']);
		const n = async () =>
			(await d.db.select({ n: count() }).from(items).where(eq(items.studyId, study.id)))[0].n;
		expect(await n()).toBe(0);
		// Items come from every subject with runs of both methods (the other fixture's too).
		const built = await buildStudyItems(d.db, study.id);
		expect(built).toBeGreaterThanOrEqual(2);
		expect(await n()).toBe(built);
		const [gone] = await d.db
			.select()
			.from(participants)
			.where(eq(participants.id, participant.id));
		expect(gone).toBeUndefined();

		const next = await arrive(d.db, study, { externalIds: { pid: 'z' } });
		const s = await loadSurvey(d.db, study, next.participant);
		await recordAnswer(d.db, study, next.participant, {
			id: crypto.randomUUID(),
			assignmentId: s.screens[0].assignmentId,
			question: 'overall',
			choice: 'right',
			clientMs: 900
		});
		await expect(
			setStudyMethods(d.db, study.id, ['Method One', 'Method Two'])
		).rejects.toMatchObject({ status: 409 });
		await expect(buildStudyItems(d.db, study.id)).rejects.toBeInstanceOf(Refusal);
	});
});
