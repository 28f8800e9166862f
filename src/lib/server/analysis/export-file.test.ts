import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import { answerStudy } from '../testing/results';
import { seedStudyFixture } from '../testing/studies';
import { bundleEntries, responsesCsv } from '../exports/bundle';
import { zipStream } from '../archives/zip-writer';
import type { Database } from '../db';
import type { Study } from '../db/schema';
import { DEFAULT_RULES, studyResults, type ExclusionRules } from '../results';
import { analysisJson, analyzeExport, analyzeResponses } from './export-file';

async function collect(chunks: AsyncIterable<string | Uint8Array>): Promise<Buffer> {
	const parts: Buffer[] = [];
	for await (const c of chunks) parts.push(Buffer.from(c));
	return Buffer.concat(parts);
}

const QUESTIONS = ['subject', 'disentanglement', 'text', 'overall'];

describe.each(DB_KINDS)('npm run analyze agrees with the results page on %s', (kind) => {
	let d: Database;
	let mixed: Study;
	let sevenThree: Study;
	let three: Study;

	beforeAll(async () => {
		d = await freshDatabase(kind);
		// A study with every kind of participant the rules act on.
		mixed = await seedStudyFixture(d.db, {
			subjects: 12,
			prompts: 1,
			slug: 'mixed',
			subjectsPerParticipant: 8,
			attentionCheck: true,
			attentionAnswer: 'undecided',
			speederMsPerQuestion: 1500
		});
		await answerStudy(
			d.db,
			mixed,
			9,
			(i, screen, q) => {
				const v = (i * 5 + screen * 3 + QUESTIONS.indexOf(q)) % 7;
				return v < 3 ? 'b' : v < 5 ? 'a' : 'undecided';
			},
			{
				clientMs: (i) => (i === 4 ? 200 : 4000),
				complete: (i) => i !== 6,
				attention: (i) => (i === 2 ? 'left' : 'undecided')
			}
		);
		// The example: 7 participants always choose B, 3 always A.
		sevenThree = await seedStudyFixture(d.db, {
			subjects: 12,
			prompts: 1,
			slug: 'seven-three',
			subjectsPerParticipant: 10
		});
		await answerStudy(d.db, sevenThree, 10, (i) => (i < 7 ? 'b' : 'a'));
		// Three methods: items for every pair, one participant left out by the rules. Its own
		// method names: a study takes every subject with runs of its methods, so sharing
		// "Method One/Two" would bring in the 22 two-method subjects above, and the few
		// three-method subjects could by chance reach only the participant the rules exclude.
		three = await seedStudyFixture(d.db, {
			subjects: 4,
			prompts: 1,
			slug: 'three',
			methods: ['Three A', 'Three B', 'Three C'],
			subjectsPerParticipant: 4
		});
		await answerStudy(
			d.db,
			three,
			8,
			(i, screen, q) => (['a', 'b', 'undecided', 'b'] as const)[(i + screen + q.length) % 4],
			{ complete: (i) => i !== 3 }
		);
	}, 240_000);
	afterAll(() => d?.close());

	const bundle = (study: Study, rules: ExclusionRules) =>
		collect(zipStream(bundleEntries(d.db, study, { rules, hashExternalIds: true })));

	it('recomputes every figure of the page from the bundle, under each set of rules', async () => {
		for (const rules of [
			DEFAULT_RULES,
			{ attention: 'any', speeders: false, incomplete: true } as const,
			{ attention: 'off', speeders: false, incomplete: false } as const
		]) {
			const page = await studyResults(d.db, mixed, rules);
			const offline = await analyzeExport(await bundle(mixed, rules));
			expect(offline.methods).toEqual(['Method One', 'Method Two']);
			expect(offline.methodsFrom).toBe('study.json');
			expect(offline.table).toEqual(page.table);
		}
	});

	it('does the same from responses.csv alone', async () => {
		const page = await studyResults(d.db, mixed, DEFAULT_RULES);
		const csv = await collect(
			responsesCsv(d.db, mixed, { rules: DEFAULT_RULES, hashExternalIds: true })
		);
		const offline = analyzeResponses(csv.toString('utf8'), {
			methods: ['Method One', 'Method Two']
		});
		expect(offline.table).toEqual(page.table);
	});

	it('gives every pair of a three-method study the same figures as the page', async () => {
		const page = await studyResults(d.db, three, DEFAULT_RULES);
		expect(page.pairs.map((p) => p.methods.map((m) => m.name))).toEqual([
			['Three A', 'Three B'],
			['Three A', 'Three C'],
			['Three B', 'Three C']
		]);
		// Every kept answer belongs to exactly one pair.
		const perPair = page.pairs.map((p) => p.table.reduce((n, q) => n + q.n, 0));
		expect(perPair.reduce((x, y) => x + y, 0)).toBe(page.counts.after.answers);
		expect(perPair.filter((n) => n > 0).length).toBe(3);
		// The first pair is the headline table, computed once.
		expect(page.pairs[0].table).toEqual(page.table);
		for (const p of page.pairs) {
			// Holm over 3 pairs × 4 questions never lowers the within-pair Holm value.
			p.table.forEach((q, i) => {
				if (q.clusteredHolm !== null)
					expect(p.holmAllPairs[i]!).toBeGreaterThanOrEqual(q.clusteredHolm - 1e-12);
			});
		}
		const offline = await analyzeExport(await bundle(three, DEFAULT_RULES));
		expect(offline.pairs.map((p) => p.methods)).toEqual(
			page.pairs.map((p) => p.methods.map((m) => m.name))
		);
		expect(offline.pairs.map((p) => [p.table, p.holmAllPairs])).toEqual(
			page.pairs.map((p) => [p.table, p.holmAllPairs])
		);
		const json = analysisJson(offline);
		expect(json.pairs[2].methods).toEqual(['Three B', 'Three C']);
		expect(json.pairs[2].questions.map((q) => [q.p, q.pHolmAllPairs])).toEqual(
			page.pairs[2].table.map((q, i) => [q.clustered.p, page.pairs[2].holmAllPairs[i]])
		);
	});

	it('does not call 7 versus 3 participants a finding, on the page or offline', async () => {
		const page = await studyResults(d.db, sevenThree, DEFAULT_RULES);
		for (const q of page.table) {
			expect(q.signExcludingUndecided.p!).toBeLessThan(1e-4);
			expect(q.clustered.p!).toBeGreaterThan(0.05);
			expect(q.clustered.decided.lo!).toBeLessThan(0.5);
			expect(q.clustered.decided.hi!).toBeGreaterThan(0.5);
		}
		const json = analysisJson(await analyzeExport(await bundle(sevenThree, DEFAULT_RULES)));
		expect(json.questions.map((q) => [q.p, q.ci])).toEqual(
			page.table.map((q) => [q.clustered.p, [q.clustered.decided.lo, q.clustered.decided.hi]])
		);
	});

	it.runIf(kind === 'pglite')(
		'runs as `npm run analyze -- bundle.zip --json`',
		async () => {
			const dir = await mkdtemp(join(tmpdir(), 'analyze-'));
			const file = join(dir, 'bundle.zip');
			await writeFile(file, await bundle(sevenThree, DEFAULT_RULES));
			const { stdout } = await promisify(execFile)(
				process.execPath,
				['--import', 'tsx', 'scripts/analyze.ts', file, '--json'],
				{ cwd: process.cwd() }
			);
			const out = JSON.parse(stdout);
			const page = await studyResults(d.db, sevenThree, DEFAULT_RULES);
			expect(out.questions).toHaveLength(4);
			expect(out.questions[3]).toMatchObject({
				question: 'overall',
				n: page.table[3].n,
				shares: { 'Method One': 0.3, 'Method Two': 0.7, undecided: 0 },
				p: page.table[3].clustered.p,
				ci: [page.table[3].clustered.decided.lo, page.table[3].clustered.decided.hi]
			});
			expect(out.pairs).toEqual([]);
			// Three methods: every pair, as on the page.
			await writeFile(file, await bundle(three, DEFAULT_RULES));
			const three3 = JSON.parse(
				(
					await promisify(execFile)(
						process.execPath,
						['--import', 'tsx', 'scripts/analyze.ts', file, '--json'],
						{ cwd: process.cwd() }
					)
				).stdout
			);
			const threePage = await studyResults(d.db, three, DEFAULT_RULES);
			expect(
				three3.pairs.map((p: { methods: string[]; questions: { p: number; ci: number[] }[] }) => [
					p.methods,
					p.questions.map((q) => [q.p, q.ci])
				])
			).toEqual(
				threePage.pairs.map((p) => [
					p.methods.map((m) => m.name),
					p.table.map((q) => [q.clustered.p, [q.clustered.decided.lo, q.clustered.decided.hi]])
				])
			);
		},
		60_000
	);
});
