import { createHash } from 'node:crypto';
import { parseCsv } from '../analysis/export-file';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq, sql } from 'drizzle-orm';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import { answerStudy } from '../testing/results';
import { seedStudyFixture } from '../testing/studies';
import { createUser } from '../auth/users';
import { arrive } from '../studies/participants';
import { queryRows, type Database } from '../db';
import { exportLog, type Study, type User } from '../db/schema';
import { DEFAULT_RULES } from '../results/answers';
import { exportResponse } from './respond';
import { exportRows, hashExternalId, RESPONSE_COLUMNS } from './responses';

/** A minimal RFC 4180 reader for the checks (quoted fields, doubled quotes, CRLF). */

describe.each(DB_KINDS)('exports on %s', (kind) => {
	let d: Database;
	let study: Study;
	let admin: User;

	beforeAll(async () => {
		d = await freshDatabase(kind);
		study = await seedStudyFixture(d.db, {
			subjects: 4,
			prompts: 1,
			slug: 'exp',
			subjectsPerParticipant: 3,
			attentionCheck: true
		});
		admin = await createUser(d.db, {
			email: 'a@example.org',
			displayName: 'A',
			role: 'admin',
			password: 'long-enough-password-1'
		});
		await answerStudy(
			d.db,
			study,
			3,
			(i, s) => ((i + s) % 3 === 0 ? 'a' : (i + s) % 3 === 1 ? 'b' : 'undecided'),
			{
				complete: (i) => i !== 2
			}
		);
		await arrive(d.db, study, { preview: true });
	}, 120_000);
	afterAll(() => d?.close());

	const expectedRows = async () => {
		const [{ n }] = await queryRows<{ n: number }>(
			d.db,
			sql`select count(*)::int as n from responses r join assignments a on a.id = r.assignment_id
				join participants p on p.id = a.participant_id where p.study_id = ${study.id}::uuid and not p.preview`
		);
		return n;
	};

	it('streams a tidy CSV with hashed ids, flags, and logs the download', async () => {
		const res = await exportResponse(d.db, study, admin.id, 'csv', {
			rules: DEFAULT_RULES,
			hashExternalIds: true
		});
		expect(res.headers.get('content-type')).toContain('text/csv');
		expect(res.headers.get('content-disposition')).toContain('exp-responses.csv');
		const rows = parseCsv(await res.text());
		const header = rows[0];
		expect(header).toEqual(RESPONSE_COLUMNS.map((c) => c.name));
		expect(rows.length - 1).toBe(await expectedRows());
		const col = (name: string) => header.indexOf(name);
		const ids = new Set(rows.slice(1).map((r) => r[col('external_id')]));
		expect(ids).toEqual(
			new Set([0, 1, 2].map((i) => hashExternalId(study.id, `PROLIFIC_PID:seed-exp-${i}`)))
		);
		// Participant 2 stopped half way: flagged and excluded, still exported.
		const incomplete = rows.slice(1).filter((r) => r[col('flag_incomplete')] === 'true');
		expect(incomplete.length).toBeGreaterThan(0);
		expect(
			incomplete.every(
				(r) => r[col('excluded')] === 'true' && r[col('excluded_reasons')] === 'incomplete'
			)
		).toBe(true);
		for (const r of rows.slice(1)) {
			const choice = r[col('choice')];
			const side = r[col('position_chosen')];
			if (side === 'undecided') expect(choice).toBe('undecided');
			else expect(choice).toBe(r[col(side === 'left' ? 'left_method' : 'right_method')]);
		}
		const [{ n }] = await d.db
			.select({ n: count() })
			.from(exportLog)
			.where(eq(exportLog.userId, admin.id));
		expect(n).toBeGreaterThanOrEqual(1);
	});

	it('gives raw external ids only when asked, and JSON Lines with the same rows', async () => {
		const res = await exportResponse(d.db, study, admin.id, 'jsonl', {
			rules: DEFAULT_RULES,
			hashExternalIds: false
		});
		const lines = (await res.text())
			.trimEnd()
			.split('\n')
			.map((l) => JSON.parse(l));
		expect(lines).toHaveLength(await expectedRows());
		expect(new Set(lines.map((l) => l.external_id))).toEqual(
			new Set(['PROLIFIC_PID:seed-exp-0', 'PROLIFIC_PID:seed-exp-1', 'PROLIFIC_PID:seed-exp-2'])
		);
		const [log] = await d.db.select().from(exportLog).where(eq(exportLog.format, 'jsonl'));
		expect(log.hashedExternalIds).toBe(false);
	});

	it('pages through participants without losing or repeating answers', async () => {
		const collect = async (pageSize: number) => {
			const ids: string[] = [];
			for await (const r of exportRows(d.db, study, {
				rules: DEFAULT_RULES,
				hashExternalIds: true,
				pageSize
			}))
				ids.push(r.responseId);
			return ids;
		};
		const one = await collect(1);
		expect(one).toEqual(await collect(250));
		expect(new Set(one).size).toBe(one.length);
	});

	it('bundles responses, items, samples, runs, settings and a codebook naming every column', async () => {
		const res = await exportResponse(d.db, study, admin.id, 'bundle', {
			rules: DEFAULT_RULES,
			hashExternalIds: true
		});
		const file = join(mkdtempSync(join(tmpdir(), 'bundle-')), 'b.zip');
		writeFileSync(file, Buffer.from(await res.arrayBuffer()));
		expect(execFileSync('unzip', ['-tq', file]).toString()).toContain('No errors');
		const names = execFileSync('zipinfo', ['-1', file]).toString().trim().split('\n');
		expect(names).toEqual([
			'exp/README.md',
			'exp/responses.csv',
			'exp/items.csv',
			'exp/samples.csv',
			'exp/runs.jsonl',
			'exp/study.json',
			'exp/analysis.R',
			'exp/analysis.py'
		]);
		const readme = execFileSync('unzip', ['-p', file, 'exp/README.md']).toString();
		for (const c of RESPONSE_COLUMNS) expect(readme).toContain(`\`${c.name}\``);
		expect(readme).toContain('proportion_confint');
		// The payment-matching recipe, taken literally from the codebook, gives the exported hashes.
		const template = /hashlib\.sha256\(f"([^"]+)"\.encode\(\)\)\.hexdigest\(\)\[:16\]/.exec(
			readme
		)![1];
		const recomputed = [0, 1, 2].map((i) =>
			createHash('sha256')
				.update(template.replace('{pid}', `seed-exp-${i}`))
				.digest('hex')
				.slice(0, 16)
		);
		const responses = parseCsv(execFileSync('unzip', ['-p', file, 'exp/responses.csv']).toString());
		const ext = responses[0].indexOf('external_id');
		expect(new Set(responses.slice(1).map((r) => r[ext]))).toEqual(new Set(recomputed));
		const items = parseCsv(execFileSync('unzip', ['-p', file, 'exp/items.csv']).toString());
		expect(items).toHaveLength(1 + 4);
		const samples = parseCsv(execFileSync('unzip', ['-p', file, 'exp/samples.csv']).toString());
		expect(samples).toHaveLength(1 + 8);
		const runs = execFileSync('unzip', ['-p', file, 'exp/runs.jsonl'])
			.toString()
			.trimEnd()
			.split('\n');
		expect(runs).toHaveLength(8);
		expect(JSON.parse(execFileSync('unzip', ['-p', file, 'exp/study.json']).toString()).slug).toBe(
			'exp'
		);
	});
});
