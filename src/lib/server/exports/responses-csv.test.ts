import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import { answerStudy } from '../testing/results';
import { seedStudyFixture } from '../testing/studies';
import type { Database } from '../db';
import { methods, participants, subjects, items, type Study } from '../db/schema';
import { DEFAULT_RULES, type ExclusionRules } from '../results/answers';
import { responsesCsvRows } from './bundle';
import { copyResponsesCsv, crlf } from './responses-csv';

async function text(chunks: AsyncIterable<string | Uint8Array>): Promise<string> {
	const parts: Uint8Array[] = [];
	const enc = new TextEncoder();
	for await (const c of chunks) parts.push(typeof c === 'string' ? enc.encode(c) : c);
	return Buffer.concat(parts).toString('utf8');
}

describe('crlf', () => {
	it('ends records with CRLF but leaves line breaks inside quoted fields alone, across chunks', () => {
		const fix = crlf();
		const enc = new TextEncoder();
		const out = ['a,"x\ny', '"\nb,"', '""\n"\n'].map((s) => Buffer.from(fix(enc.encode(s))));
		expect(Buffer.concat(out).toString()).toBe('a,"x\ny"\r\nb,"""\n"\r\n');
	});
});

describe.each(DB_KINDS)('responses.csv formatted by the database on %s', (kind) => {
	let d: Database;
	let study: Study;

	beforeAll(async () => {
		d = await freshDatabase(kind);
		study = await seedStudyFixture(d.db, {
			subjects: 3,
			prompts: 1,
			slug: 'copy',
			subjectsPerParticipant: 3,
			attentionCheck: true
		});
		// Hostile text where a spreadsheet or a naive writer would trip.
		const subs = await d.db.select().from(subjects);
		const names = ['=HYPERLINK("http://x","y")', '-2+3', 'plain, with "quotes"\r\nand lines'];
		for (const [i, s] of subs.entries())
			await d.db.update(subjects).set({ name: names[i] }).where(eq(subjects.id, s.id));
		const its = await d.db.select().from(items).where(eq(items.studyId, study.id));
		await d.db
			.update(items)
			.set({ prompt: '@SUM(A1)\ttab, "q"\n' })
			.where(inArray(items.id, [its[0].id]));
		const [m] = await d.db.select().from(methods).limit(1);
		await d.db.update(methods).set({ name: '+cmd|" /C calc"!A0' }).where(eq(methods.id, m.id));
		await answerStudy(
			d.db,
			study,
			4,
			(i, s) => ((i + s) % 3 === 0 ? 'a' : (i + s) % 3 === 1 ? 'b' : 'undecided'),
			{ complete: (i) => i !== 2 }
		);
		const ps = await d.db.select().from(participants).where(eq(participants.studyId, study.id));
		await d.db
			.update(participants)
			.set({ externalId: "=1+2'", speeder: true })
			.where(eq(participants.id, ps[0].id));
	}, 120_000);
	afterAll(() => d?.close());

	const cases: [string, ExclusionRules, boolean][] = [
		['default rules, hashed ids', DEFAULT_RULES, true],
		['every rule on, raw ids', { attention: 'any', speeders: true, incomplete: true }, false],
		['no rules', { attention: 'off', speeders: false, incomplete: false }, true]
	];
	it.each(cases)('writes the same bytes as the row-by-row path: %s', async (_, rules, hashed) => {
		const opts = { rules, hashExternalIds: hashed, pageSize: 2 };
		const fast = copyResponsesCsv(d.db, study, opts);
		expect(fast).toBeDefined();
		const expected = await text(responsesCsvRows(d.db, study, opts));
		expect(expected.split('\r\n').length).toBeGreaterThan(20);
		expect(expected).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
		expect(await text(fast!)).toBe(expected);
	});

	it('writes only the header for a study without answers', async () => {
		const empty = await seedStudyFixture(d.db, { subjects: 1, prompts: 1, slug: 'copy-empty' });
		const opts = { rules: DEFAULT_RULES, hashExternalIds: true };
		const out = await text(copyResponsesCsv(d.db, empty, opts)!);
		expect(out).toBe(await text(responsesCsvRows(d.db, empty, opts)));
		expect(out.split('\r\n')).toHaveLength(2);
	});
});
