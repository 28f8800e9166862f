import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import { seedStudyFixture } from '../testing/studies';
import type { Database } from '../db';
import { studies, type Study } from '../db/schema';
import { eq } from 'drizzle-orm';
import { arrive, participantByToken } from './participants';
import { MAX_CODE_FAILURES, recentResumes } from './resume';

// Finding 1 of issue 14: a recruiter id is not a secret, so knowing it must not hand over the
// participant (their cookie, their answers) to a fresh browser.
describe.each(DB_KINDS)('resuming on another device on %s', (kind) => {
	let d: Database;
	let study: Study;
	beforeAll(async () => {
		d = await freshDatabase(kind);
		study = await seedStudyFixture(d.db, { subjects: 3, prompts: 1, slug: 'resume' });
	}, 120_000);
	afterAll(() => d?.close());

	it('refuses a takeover by recruiter id alone and records it', async () => {
		const victim = await arrive(d.db, study, {
			externalIds: { PROLIFIC_PID: 'victim', SESSION_ID: 's1' }
		});
		// The attacker knows the PROLIFIC_PID, but not the session or the resume code.
		for (const externalIds of <Record<string, string>[]>[
			{ PROLIFIC_PID: 'victim' },
			{ PROLIFIC_PID: 'victim', SESSION_ID: 'guess' }
		]) {
			await expect(arrive(d.db, study, { externalIds })).rejects.toMatchObject({
				status: 403,
				extra: { reason: 'needs-proof' }
			});
		}
		await expect(
			arrive(d.db, study, { externalIds: { PROLIFIC_PID: 'victim' }, resumeCode: 'WRONG1' })
		).rejects.toMatchObject({ status: 403 });
		const events = await recentResumes(d.db, study.id);
		expect(events.map((e) => [e.pseudonym, e.outcome])).toEqual([
			[victim.participant.pseudonym, 'refused'],
			[victim.participant.pseudonym, 'refused'],
			[victim.participant.pseudonym, 'refused']
		]);
	});

	it('resumes the same person by Prolific session or by resume code', async () => {
		const first = await arrive(d.db, study, {
			externalIds: { PROLIFIC_PID: 'p2', SESSION_ID: 's2' }
		});
		expect(first.participant.resumeCode).toMatch(/^[A-Z2-9]{6}$/);
		const bySession = await arrive(d.db, study, {
			externalIds: { PROLIFIC_PID: 'p2', SESSION_ID: 's2' }
		});
		expect(bySession.resumed).toBe('session');
		const byCode = await arrive(d.db, study, {
			externalIds: { PROLIFIC_PID: 'p2' },
			resumeCode: ` ${first.participant.resumeCode!.toLowerCase()} `
		});
		expect(byCode.resumed).toBe('code');
		expect((await participantByToken(d.db, study.id, byCode.token))?.id).toBe(first.participant.id);
		const outcomes = (await recentResumes(d.db, study.id)).slice(0, 2).map((e) => e.outcome);
		expect(outcomes.sort()).toEqual(['code', 'session']);
	});

	it('stops trying codes after repeated wrong ones, even the right one', async () => {
		const first = await arrive(d.db, study, { externalIds: { workerId: 'W3' } });
		for (let i = 0; i < MAX_CODE_FAILURES; i++) {
			await expect(
				arrive(d.db, study, { externalIds: { workerId: 'W3' }, resumeCode: `BAD${i}` })
			).rejects.toMatchObject({ status: 403 });
		}
		await expect(
			arrive(d.db, study, {
				externalIds: { workerId: 'W3' },
				resumeCode: first.participant.resumeCode!
			})
		).rejects.toMatchObject({ status: 403 });
	});

	it('refuses an unproven known id outright when the study is set to refuse', async () => {
		await d.db.update(studies).set({ unprovenResume: 'refuse' }).where(eq(studies.id, study.id));
		const strict: Study = { ...study, unprovenResume: 'refuse' };
		try {
			const first = await arrive(d.db, strict, {
				externalIds: { PROLIFIC_PID: 'p4', SESSION_ID: 's4' }
			});
			// Even the right resume code does not move the id to another browser...
			for (const resumeCode of [undefined, first.participant.resumeCode!]) {
				await expect(
					arrive(d.db, strict, { externalIds: { PROLIFIC_PID: 'p4' }, resumeCode })
				).rejects.toMatchObject({ status: 403, extra: { reason: 'known-id' } });
			}
			// ...while the same Prolific session still resumes.
			const again = await arrive(d.db, strict, {
				externalIds: { PROLIFIC_PID: 'p4', SESSION_ID: 's4' }
			});
			expect(again.resumed).toBe('session');
			const events = (await recentResumes(d.db, study.id)).slice(0, 3);
			expect(events.map((e) => [e.pseudonym, e.outcome])).toEqual([
				[first.participant.pseudonym, 'session'],
				[first.participant.pseudonym, 'refused'],
				[first.participant.pseudonym, 'refused']
			]);
		} finally {
			await d.db
				.update(studies)
				.set({ unprovenResume: 'ask-code' })
				.where(eq(studies.id, study.id));
		}
	});
});
