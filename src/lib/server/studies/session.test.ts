import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestEvent } from '@sveltejs/kit';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import { seedStudyFixture } from '../testing/studies';
import { useDatabase, type Database } from '../db';
import { setStudyState } from './studies';
import { studyForRoute } from './session';

const visit = (slug: string, role: 'admin' | 'annotator' | null) =>
	({
		params: { slug },
		locals: { user: role ? { role } : null }
	}) as unknown as RequestEvent;

// Issue 14, finding 5: draft titles and consent texts were readable at /s/<slug>/__data.json.
describe.each(DB_KINDS)('draft studies on %s', (kind) => {
	let d: Database;
	beforeAll(async () => {
		d = await freshDatabase(kind);
		useDatabase(d);
	}, 120_000);
	afterAll(async () => {
		useDatabase(undefined);
		await d?.close();
	});

	it('are invisible to anyone but admins, and visible once open', async () => {
		const study = await seedStudyFixture(d.db, { subjects: 1, prompts: 1, slug: 'secret' });
		await setStudyState(d.db, study.id, 'draft');
		for (const role of [null, 'annotator'] as const) {
			await expect(studyForRoute(visit('secret', role))).rejects.toMatchObject({ status: 404 });
		}
		expect((await studyForRoute(visit('secret', 'admin'))).id).toBe(study.id);
		await setStudyState(d.db, study.id, 'open');
		expect((await studyForRoute(visit('secret', null))).id).toBe(study.id);
	});
});
