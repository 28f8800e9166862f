import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import { answerStudy } from '../testing/results';
import { seedStudyFixture } from '../testing/studies';
import type { Database } from '../db';
import type { Study } from '../db/schema';
import { PLAN_SIZES, pilotPlan } from './plan';

describe.each(DB_KINDS)('sample-size planner page data on %s', (kind) => {
	let d: Database;
	let study: Study;
	beforeAll(async () => {
		d = await freshDatabase(kind);
		study = await seedStudyFixture(d.db, {
			subjects: 10,
			prompts: 1,
			slug: 'plan',
			subjectsPerParticipant: 6
		});
		await answerStudy(d.db, study, 6, (i, screen) => ((i + screen) % 4 === 0 ? 'a' : 'b'));
	}, 120_000);
	afterAll(() => d?.close());

	it('estimates from the pilot and simulates the curve for stated inputs', async () => {
		const page = await pilotPlan(d.db, study, null);
		expect(page.items).toBe(10);
		expect(page.perParticipant).toBe(6);
		const overall = page.pilot.find((p) => p.question === 'overall')!;
		expect(overall.participants).toBe(6);
		expect(overall.inputs!.share).toBeGreaterThan(0.6);
		expect(page.curve).toBeNull();

		const planned = await pilotPlan(d.db, study, {
			question: 'overall',
			share: 0.7,
			sdParticipant: 0.5,
			sdItem: 0.3
		});
		expect(planned.curve!.points.map((p) => p.participants)).toEqual(PLAN_SIZES);
		expect(planned.curve!.for80).not.toBeNull();
		expect(planned.curve!.points.at(-1)!.power).toBeGreaterThanOrEqual(0.9);
	}, 60_000);
});
