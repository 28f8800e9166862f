import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { tableB2 } from '$lib/results/table';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import { answerStudy, type Pick } from '../testing/results';
import { seedStudyFixture } from '../testing/studies';
import { arrive } from '../studies/participants';
import type { Database } from '../db';
import type { Study } from '../db/schema';
import { DEFAULT_RULES, studyResults } from '.';

const QUESTIONS = ['subject', 'disentanglement', 'text', 'overall'];
/** Thresholds on v in 0..9: below the first -> b, below the second -> a, else undecided. */
const CUT: Record<string, [number, number]> = {
	subject: [4, 7],
	disentanglement: [7, 8],
	text: [6, 7],
	overall: [7, 9]
};
/**
 * The known true answers. Participants 5 (fails the attention check once) and 6 (a speeder)
 * always prefer method a; participant 7 stops half way. Expected tables below were counted
 * from this same plan by an independent Python script (throwaway venv), which also produced
 * the reference p-values with scipy.stats.binomtest and intervals with statsmodels'
 * proportion_confint(method='wilson').
 */
function plan(i: number, screen: number, question: string): Pick {
	if (i === 5 || i === 6) return 'a';
	const v = (i * 3 + screen * 7 + QUESTIONS.indexOf(question) * 5) % 10;
	const [b, a] = CUT[question];
	return v < b ? 'b' : v < a ? 'a' : 'undecided';
}

describe.each(DB_KINDS)('study results on %s', (kind) => {
	let d: Database;
	let study: Study;

	beforeAll(async () => {
		d = await freshDatabase(kind);
		study = await seedStudyFixture(d.db, {
			subjects: 12,
			prompts: 1,
			slug: 'known',
			subjectsPerParticipant: 10,
			attentionCheck: true,
			// One check, so that participant 5 fails exactly once.
			attentionChecks: 1,
			attentionAnswer: 'undecided',
			speederMsPerQuestion: 1500
		});
		await answerStudy(d.db, study, 8, plan, {
			clientMs: (i) => (i === 6 ? 300 : 4000),
			complete: (i) => i !== 7,
			attention: (i) => (i === 5 ? 'left' : 'undecided')
		});
		await arrive(d.db, study, { preview: true });
	}, 180_000);
	afterAll(() => d?.close());

	it('shows Table B.2 exactly as counted, under the default rules', async () => {
		const r = await studyResults(d.db, study, DEFAULT_RULES);
		expect(r.counts.before).toEqual({ participants: 8, answers: 7 * 40 + 20 });
		expect(r.counts.after).toEqual({ participants: 6, answers: 240 });
		expect(r.counts.byReason).toEqual({ preview: 1, incomplete: 1, attention: 0, speeder: 1 });
		const t = tableB2(r);
		expect(t.columns.map((c) => [c.key, c.n])).toEqual(QUESTIONS.map((q) => [q, 60]));
		expect(t.rows).toEqual([
			{ label: 'Method One', cells: ['41.7%', '25.0%', '25.0%', '33.3%'] },
			{ label: 'Method Two', cells: ['33.3%', '58.3%', '50.0%', '58.3%'] },
			{ label: 'Undecided', cells: ['25.0%', '16.7%', '25.0%', '8.3%'] }
		]);
		const p = r.table.map((q) => q.signExcludingUndecided.p!);
		[0.5514843298025198, 0.006600447966810918, 0.035697803555194696, 0.05806414679240905].forEach(
			(x, i) => expect(p[i]).toBeCloseTo(x, 12)
		);
		expect(r.table[3].signSplitUndecided.p).toBeCloseTo(0.06744461190078899, 12);
		expect(r.table[1].b.lo).toBeCloseTo(0.4572808102264011, 12);
		expect(r.table[1].b.hi).toBeCloseTo(0.6993572144165839, 12);
		// Position bias counts every decided answer once.
		expect(r.table.every((q) => q.left.n === q.a.k + q.b.k)).toBe(true);
	});

	it('changes with the exclusion rules', async () => {
		const strict = await studyResults(d.db, study, { ...DEFAULT_RULES, attention: 'any' });
		expect(strict.counts.after.participants).toBe(5);
		expect(tableB2(strict).rows[1].cells).toEqual(['40.0%', '70.0%', '60.0%', '70.0%']);
		expect(strict.table[0].signExcludingUndecided.p).toBeCloseTo(0.4995598332025112, 12);

		const lax = await studyResults(d.db, study, {
			attention: 'off',
			speeders: false,
			incomplete: true
		});
		expect(lax.counts.after.participants).toBe(7);
		expect(tableB2(lax).rows.map((r) => r.cells[0])).toEqual(['50.0%', '28.6%', '21.4%']);
		expect(lax.table[2].signExcludingUndecided.p).toBeCloseTo(0.5900533317766354, 12);

		// Previews never count, even with every switch off.
		const all = await studyResults(d.db, study, {
			attention: 'off',
			speeders: false,
			incomplete: false
		});
		expect(all.counts.after.participants).toBe(8);
		expect(all.counts.byReason.preview).toBe(1);
	});

	it('drills down per subject, participant and prompt consistently with the table', async () => {
		const r = await studyResults(d.db, study, DEFAULT_RULES);
		const sum = (groups: typeof r.bySubject, q: string) =>
			groups.reduce((s, g) => s + (g.counts[q]?.b ?? 0), 0);
		for (const q of QUESTIONS) {
			const b = r.table.find((x) => x.question === q)!.b.k;
			expect(sum(r.bySubject, q)).toBe(b);
			expect(sum(r.byPrompt, q)).toBe(b);
			expect(sum(r.byParticipant, q)).toBe(b);
		}
		expect(r.byParticipant).toHaveLength(6);
		expect(r.participantRows).toBe(6);
		expect(r.timeline.completed.count).toBe(7);
		expect(r.timeline.kept.count).toBe(6);
		expect(r.timeline.kept.steps.map(([, n]) => n)).toEqual([1, 2, 3, 4, 5, 6]);
	});

	it('shows run metrics per method and whether people agree with them per subject', async () => {
		const empty = await studyResults(d.db, study, DEFAULT_RULES);
		expect(empty.metrics.every((m) => Object.keys(m.means).length === 0)).toBe(true);
		expect(empty.agreement).toEqual([]);
		// Method Two (b) gets the better text alignment on every subject, a worse subject alignment.
		await d.db.execute(sql`update runs r set metrics = case when m.name = 'Method Two'
				then '{"text_alignment": 0.34, "subject_alignment": 0.60}'::jsonb
				else '{"text_alignment": 0.30, "subject_alignment": 0.70}'::jsonb end
			from methods m where m.id = r.method_id`);
		const r = await studyResults(d.db, study, DEFAULT_RULES);
		const byName = Object.fromEntries(r.metrics.map((m) => [m.name, m]));
		expect(byName['Method Two'].means.text_alignment).toBeCloseTo(0.34, 12);
		expect(byName['Method One'].means.subject_alignment).toBeCloseTo(0.7, 12);
		expect(byName['Method One'].subjects).toBe(12);
		const text = r.agreement.filter((x) => x.question === 'text');
		expect(text.length).toBe(r.bySubject.length);
		for (const x of text) {
			expect(x.metricDiff).toBeCloseTo(0.04, 12);
			const c = r.bySubject.find((s) => s.key === x.subjectId)!.counts.text;
			const lean = c.a + c.b ? c.b / (c.a + c.b) - 0.5 : null;
			expect(x.humanLean).toBe(lean);
			expect(x.agrees).toBe(lean === null || lean === 0 ? null : lean > 0);
		}
		expect(r.agreement.some((x) => x.question === 'disentanglement')).toBe(false);
	});
});
