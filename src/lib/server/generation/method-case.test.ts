import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import { smallRequest, subjectWithImages } from '../testing/worker-api';
import type { Database } from '../db';
import { methods, runs } from '../db/schema';
import { createComparisonRuns } from './runs';

describe.each(DB_KINDS)('a method must name its description case, on %s', (kind) => {
	let d: Database;
	beforeAll(async () => {
		d = await freshDatabase(kind);
	});
	afterAll(async () => d.close());

	it('refuses to train a method that names no case instead of defaulting to case 1', async () => {
		const { subject } = await subjectWithImages(d.db, `no-case-${kind}`);
		const [custom] = await d.db
			.insert(methods)
			.values({ name: 'My recipe', trainer: 'dreambooth', description: 'set up by hand' })
			.returning();
		expect(custom.descriptionCase).toBeNull();
		const attempt = createComparisonRuns(
			d.db,
			smallRequest({ subjectIds: [subject.id], methodIds: [custom.id] }),
			null
		);
		await expect(attempt).rejects.toMatchObject({ status: 400 });
		await expect(attempt).rejects.toThrow(/"My recipe" names no description case/);
		expect((await d.db.select({ n: count() }).from(runs))[0].n).toBe(0);
	});
});
