/**
 * Results-page benchmark: seeds a study with N answers into a real PostgreSQL
 * (one INSERT … SELECT per table, on the server) and times `studyResults`,
 * the function behind the results page and its JSON endpoint: the
 * participants query, the tallies (GROUPING SETS) query and the statistics.
 * Then, against the built app (`npm run build` first), the page as an admin
 * opens it: the whole HTML response of /admin/studies/[id]/results, timed from
 * the request to the last byte (`--http off` skips this).
 *
 *   node --import tsx bench/results-bench.ts --responses 1000000 [--keep sid_bench_results]
 *
 * BENCH_DATABASE_URL (default: the test server postgres://postgres@127.0.0.1:54329/postgres)
 * must allow CREATE DATABASE; a scratch database is created and dropped.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows } from '../src/lib/server/db';
import { getStudy } from '../src/lib/server/studies/studies';
import { DEFAULT_RULES, studyResults } from '../src/lib/server/results';
import { applyExclusions, loadParticipants } from '../src/lib/server/results/answers';
import { loadTallies } from '../src/lib/server/results/tallies';
import { summarizeStudy } from '../src/lib/server/analysis/preferences';
import { upsertUser } from '../src/lib/server/auth/users';
import { createSession } from '../src/lib/server/auth/session';
import { PER_PARTICIPANT, seedBigStudy } from './lib/big-study';
import { startInstance, stopInstance } from './lib/servers';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
	args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const N = Number(args.get('responses') ?? 1_000_000);
const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:54329/postgres';
const log = (msg: string) => process.stdout.write(msg + '\n');
const since = (t: number) => `${Math.round(performance.now() - t)} ms`;

async function main() {
	// --keep NAME: seed once into database NAME and keep it (later runs reuse it).
	const keep = args.get('keep');
	const name = keep ?? `sid_bench_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
	const admin = postgres(base, { max: 1, onnotice: () => {} });
	const exists = keep
		? (await admin`select 1 from pg_database where datname = ${keep}`).length > 0
		: false;
	if (!exists) await admin.unsafe(`create database ${name}`);
	const url = new URL(base);
	url.pathname = `/${name}`;
	const d = await openDatabase({ url: url.toString(), poolSize: 4 });
	try {
		await d.migrate();
		const participants = Math.ceil(N / (4 * PER_PARTICIPANT));
		const t0 = performance.now();
		const studyId = exists
			? (await queryRows<{ id: string }>(d.db, sql`select id from studies where slug = 'bench'`))[0]
					.id
			: await seedBigStudy(d.db, participants);
		await d.db.execute(sql`analyze`);
		const [{ n }] = await queryRows<{ n: number }>(
			d.db,
			sql`select count(*)::int as n from responses`
		);
		log(`seeded ${n} answers (${participants} participants) in ${since(t0)}`);
		const study = (await getStudy(d.db, studyId))!;
		const questions = study.questions.map((q) => q.key);
		const [a, b] = await queryRows<{ id: string }>(
			d.db,
			sql`select method_id as id from study_methods where study_id = ${studyId}::uuid order by position`
		);
		for (let run = 1; run <= 3; run++) {
			let t = performance.now();
			const people = await loadParticipants(d.db, studyId);
			const tp = since(t);
			t = performance.now();
			const { excluded } = applyExclusions(people, DEFAULT_RULES);
			const names = new Map(people.map((p) => [p.id, p.pseudonym]));
			const tallies = await loadTallies(
				d.db,
				studyId,
				questions,
				{ a: a.id, b: b.id },
				excluded,
				names
			);
			const tt = since(t);
			t = performance.now();
			const table = summarizeStudy(tallies.questions);
			const ts = since(t);
			t = performance.now();
			const whole = await studyResults(d.db, study, DEFAULT_RULES);
			const tw = since(t);
			log(
				`run ${run}: participants query ${tp}, tallies query ${tt}, statistics ${ts}; ` +
					`studyResults total ${tw} (${whole.counts.after.participants} kept, ` +
					`${JSON.stringify(whole).length >> 10} KiB JSON; overall p ${table[3].clustered.p?.toPrecision(3)})`
			);
		}
		if (args.get('http') !== 'off') await timePage(d, url.toString(), studyId);
	} finally {
		await d.close();
		if (!keep) await admin.unsafe(`drop database if exists ${name} with (force)`);
		await admin.end();
	}
}

/** The results page over HTTP, as an admin's browser loads it (three times, after a warm-up). */
async function timePage(d: Awaited<ReturnType<typeof openDatabase>>, url: string, studyId: string) {
	const user = await upsertUser(d.db, {
		email: 'bench@example.org',
		displayName: 'Bench',
		role: 'admin',
		password: crypto.randomUUID()
	});
	const { token } = await createSession(d.db, user.id);
	const dataDir = mkdtempSync(join(tmpdir(), 'sid-results-bench-'));
	const app = await startInstance(
		{ kind: 'postgres', env: { DATA_DIR: dataDir, DATABASE_URL: url }, url, dataDir },
		Number(args.get('port') ?? 51390)
	);
	try {
		for (let run = 0; run <= 3; run++) {
			const t = performance.now();
			const r = await fetch(`${app.base}/admin/studies/${studyId}/results`, {
				headers: { cookie: `sid_session=${token}` }
			});
			const body = await r.arrayBuffer();
			if (r.status !== 200) throw new Error(`results page answered ${r.status}`);
			if (run > 0)
				log(`page ${run}: ${since(t)} to the last byte (${body.byteLength >> 10} KiB of HTML)`);
		}
	} finally {
		await stopInstance(app);
	}
}

main().catch((e) => {
	process.stderr.write(String(e?.stack ?? e) + '\n');
	process.exit(1);
});
