import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inArray } from 'drizzle-orm';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import { answerStudy } from '../testing/results';
import { seedStudyFixture } from '../testing/studies';
import { participants } from '../db/schema';
import type { Database } from '../db';

describe.each(DB_KINDS)('speeders judged by server time on %s', (kind) => {
	let d: Database;
	beforeAll(async () => {
		d = await freshDatabase(kind);
	}, 60_000);
	afterAll(() => d?.close());

	it('flags a script that reports human times but answers as fast as it can', async () => {
		const settings = {
			subjects: 8,
			prompts: 1,
			subjectsPerParticipant: 7,
			speederMsPerQuestion: 1500
		};
		const study = await seedStudyFixture(d.db, { ...settings, slug: 'scripted' });
		const paced = await seedStudyFixture(d.db, { ...settings, slug: 'paced' });
		// The script claims 2–8 s per question; the server sees 28 answers in well under a second each.
		const script = await answerStudy(d.db, study, 2, () => 'b', {
			clientMs: (i) => 2000 + 6000 * i,
			serverTimeAsIs: true
		});
		// Simulated people who take the 4 s they report.
		const people = await answerStudy(d.db, paced, 2, () => 'a', { clientMs: () => 4000 });
		const rows = await d.db
			.select({ id: participants.id, speeder: participants.speeder })
			.from(participants)
			.where(inArray(participants.id, [...script, ...people]));
		const speeder = new Map(rows.map((r) => [r.id, r.speeder]));
		expect(script.map((id) => speeder.get(id))).toEqual([true, true]);
		expect(people.map((id) => speeder.get(id))).toEqual([false, false]);
	}, 60_000);
});
