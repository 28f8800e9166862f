import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import { seedStudyFixture } from '../testing/studies';
import { codebook } from '../exports/codebook';
import { DEFAULT_RULES, studyResults } from '../results';
import type { Database } from '../db';
import { eq } from 'drizzle-orm';
import { studies } from '../db/schema';
import { createStudy, getStudy, setStudyState } from './studies';
import { canonicalJson, snapshotHash } from './preregistration';

describe.each(DB_KINDS)('preregistration snapshot on %s', (kind) => {
	let d: Database;
	beforeAll(async () => {
		d = await freshDatabase(kind);
	}, 60_000);
	afterAll(() => d?.close());

	it('freezes the configuration with its hash when the study first opens, and shows it', async () => {
		const blank = await createStudy(d.db, { title: 'Not open yet', slug: 'blank' });
		expect(blank.preregistrationHash).toBeNull();
		// The fixture opens its study.
		const draft = await seedStudyFixture(d.db, { subjects: 3, prompts: 1, slug: 'prereg' });
		const open = (await getStudy(d.db, draft.id))!;
		expect(open.preregistrationHash).toMatch(/^[0-9a-f]{64}$/);
		expect(snapshotHash(open.preregistration)).toBe(open.preregistrationHash);
		const snap = open.preregistration as { items: unknown[]; methods: { name: string }[] };
		expect(snap.items).toHaveLength(3);
		expect(snap.methods.map((m) => m.name)).toEqual(['Method One', 'Method Two']);

		// Closing, changing a setting and opening again keeps the first snapshot.
		await setStudyState(d.db, draft.id, 'closed');
		await d.db.update(studies).set({ speederMsPerQuestion: 999 }).where(eq(studies.id, draft.id));
		await setStudyState(d.db, draft.id, 'open');
		const again = (await getStudy(d.db, draft.id))!;
		expect(again.preregistrationHash).toBe(open.preregistrationHash);

		const r = await studyResults(d.db, again, DEFAULT_RULES);
		expect(r.study.preregistrationHash).toBe(open.preregistrationHash);
		expect(codebook(again, { rules: DEFAULT_RULES, hashExternalIds: true })).toContain(
			open.preregistrationHash!
		);
	});

	it('writes one canonical text whatever the key order', () => {
		expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }] })).toBe('{"a":[{"c":null,"d":2}],"b":1}');
		expect(snapshotHash({ x: 1, y: 2 })).toBe(snapshotHash({ y: 2, x: 1 }));
	});
});
