import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import { seedStudyFixture } from '../testing/studies';
import type { Database } from '../db';
import type { Study } from '../db/schema';
import { resetConfig } from '../config';
import { arrive } from './participants';

// Finding 5 of issue 14: consent starts had no rate limit, so one script could fill a study
// (or create participants without end) from one address.
describe.each(DB_KINDS)('consent starts per address on %s', (kind) => {
	let d: Database;
	let study: Study;
	let other: Study;
	const before = process.env.CONSENT_STARTS_PER_MINUTE;
	beforeAll(async () => {
		process.env.CONSENT_STARTS_PER_MINUTE = '3';
		resetConfig();
		d = await freshDatabase(kind);
		study = await seedStudyFixture(d.db, { subjects: 3, prompts: 1, slug: 'limit-a' });
		other = await seedStudyFixture(d.db, { subjects: 3, prompts: 1, slug: 'limit-b' });
	}, 120_000);
	afterAll(async () => {
		if (before === undefined) delete process.env.CONSENT_STARTS_PER_MINUTE;
		else process.env.CONSENT_STARTS_PER_MINUTE = before;
		resetConfig();
		await d?.close();
	});

	it('refuses starts past the limit from one address, not from others or for other studies', async () => {
		const start = (s: Study, pid: string, address: string) =>
			arrive(d.db, s, { externalIds: { PROLIFIC_PID: pid }, address });
		for (let i = 0; i < 3; i++) await start(study, `a${i}`, '198.51.100.1');
		await expect(start(study, 'a3', '198.51.100.1')).rejects.toMatchObject({
			status: 429,
			extra: { reason: 'too-many' }
		});
		// Resume attempts count too: guessing codes is no way around it.
		await expect(
			arrive(d.db, study, {
				externalIds: { PROLIFIC_PID: 'a0' },
				resumeCode: 'AAAAAA',
				address: '198.51.100.1'
			})
		).rejects.toMatchObject({ status: 429 });
		expect((await start(study, 'b0', '203.0.113.2')).resumed).toBe(false);
		expect((await start(other, 'a0', '198.51.100.1')).resumed).toBe(false);
		// Callers without an address (the page load's Prolific-session resume) are not counted.
		expect((await arrive(d.db, study, { externalIds: { PROLIFIC_PID: 'c0' } })).resumed).toBe(
			false
		);
	});
});
