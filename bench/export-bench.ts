/**
 * Export benchmark: seeds a study with N responses into a real PostgreSQL
 * (bulk insert with generate_series, on the server) and streams the tidy CSV
 * export through the same code path as the download endpoint, measuring time
 * and the peak resident memory of this process.
 *
 *   node --import tsx bench/export-bench.ts --responses 100000
 *   node --import tsx bench/export-bench.ts --responses 1000000 [--rows skip]
 *   node --import tsx bench/export-bench.ts --responses 100000 --db pglite
 *
 * Both CSV paths run side by side: the database-formatted one the download endpoint uses
 * (COPY on PostgreSQL, page-wise COPY on PGlite) and the row-by-row reference path.
 *
 * BENCH_DATABASE_URL (default: the test server postgres://postgres@127.0.0.1:54329/postgres)
 * must allow CREATE DATABASE; a scratch database is created and dropped.
 */
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, queryRows } from '../src/lib/server/db';
import { getStudy } from '../src/lib/server/studies/studies';
import { responsesCsv, responsesCsvRows } from '../src/lib/server/exports/bundle';
import { toReadableStream } from '../src/lib/server/exports/stream';
import { DEFAULT_RULES } from '../src/lib/server/results/answers';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
	args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const N = Number(args.get('responses') ?? 100_000);
const kind = args.get('db') ?? 'postgres';
const skipRows = args.get('rows') === 'skip';
const QUESTIONS = 4;
const PER_PARTICIPANT = 10; // items per participant, as in the paper
const SUBJECTS = 100;
const PROMPTS = 4;
const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:54329/postgres';

const log = (msg: string) => process.stdout.write(msg + '\n');

/** Streams one CSV path to nowhere, measuring rows/s and this process's peak RSS. */
async function measure(
	name: string,
	source: AsyncIterable<string | Uint8Array>,
	expected: number
): Promise<void> {
	global.gc?.();
	const rssBefore = process.memoryUsage().rss;
	let peak = rssBefore;
	const timer = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().rss);
	}, 20);
	const t1 = performance.now();
	const reader = toReadableStream(source).getReader();
	let bytes = 0;
	let lines = 0;
	for (;;) {
		const { value, done } = await reader.read();
		if (done) break;
		bytes += value.byteLength;
		for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
	}
	clearInterval(timer);
	peak = Math.max(peak, process.memoryUsage().rss);
	const seconds = (performance.now() - t1) / 1000;
	const mb = (x: number) => (x / 1024 / 1024).toFixed(0);
	log(
		`${name}: exported ${lines - 1} rows, ${mb(bytes)} MB of CSV in ${seconds.toFixed(1)} s ` +
			`(${Math.round((lines - 1) / seconds)} rows/s); RSS before ${mb(rssBefore)} MB, peak ${mb(peak)} MB`
	);
	if (lines - 1 !== expected)
		throw new Error(`${name}: row count mismatch: ${lines - 1} exported, ${expected} stored`);
}

async function main() {
	let cleanup = async () => {};
	let d: Awaited<ReturnType<typeof openDatabase>>;
	if (kind === 'pglite') {
		d = await openDatabase({ dataDir: mkdtempSync(join(tmpdir(), 'sid-export-bench-')) });
	} else {
		const name = `sid_bench_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
		const admin = postgres(base, { max: 1, onnotice: () => {} });
		await admin.unsafe(`create database ${name}`);
		const url = new URL(base);
		url.pathname = `/${name}`;
		d = await openDatabase({ url: url.toString(), poolSize: 4 });
		cleanup = async () => {
			await admin.unsafe(`drop database if exists ${name} with (force)`);
			await admin.end();
		};
	}
	try {
		await d.migrate();
		const participants = Math.ceil(N / (QUESTIONS * PER_PARTICIPANT));
		const t0 = performance.now();
		const studyId = await seed(d.db, participants);
		const [{ n }] = await queryRows<{ n: number }>(
			d.db,
			sql`select count(*)::int as n from responses`
		);
		log(
			`${kind}: seeded ${n} responses (${participants} participants) in ${((performance.now() - t0) / 1000).toFixed(1)} s`
		);
		const study = (await getStudy(d.db, studyId))!;
		const opts = { rules: DEFAULT_RULES, hashExternalIds: true };
		// The database-formatted path first, so its peak RSS is not the other's leftover heap.
		await measure('database-formatted (COPY)', responsesCsv(d.db, study, opts), n);
		if (!skipRows) await measure('row by row', responsesCsvRows(d.db, study, opts), n);
	} finally {
		await d.close();
		await cleanup();
	}
}

/** Everything in a few INSERT … SELECT statements, so seeding a million rows takes seconds. */
async function seed(
	db: Awaited<ReturnType<typeof openDatabase>>['db'],
	participants: number
): Promise<string> {
	const run = (q: ReturnType<typeof sql>) => db.execute(q);
	await run(
		sql`insert into blobs (sha256, mime, width, height, bytes) values (repeat('0', 64), 'image/png', 8, 8, 100)`
	);
	await run(sql`insert into methods (name) values ('DreamBooth'), ('DreamBooth + SID')`);
	await run(
		sql`insert into subjects (name, class_noun) select 'subject-' || g, 'dog' from generate_series(1, ${SUBJECTS}) g`
	);
	await run(
		sql`insert into runs (method_id, subject_id, source, state) select m.id, s.id, 'import', 'done' from methods m, subjects s`
	);
	await run(sql`insert into samples (run_id, prompt, seed, blob_sha256)
		select r.id, 'a sks dog, prompt ' || p, 0, repeat('0', 64) from runs r, generate_series(1, ${PROMPTS}) p`);
	const [study] = await queryRows<{ id: string }>(
		db,
		sql`insert into studies (slug, title, state, attention_check)
		values ('bench', 'Benchmark study', 'open', true) returning id`
	);
	await run(sql`insert into study_methods (study_id, method_id, position)
		select ${study.id}::uuid, id, row_number() over (order by name) - 1 from methods`);
	await run(sql`insert into items (study_id, subject_id, prompt, sample_a_id, sample_b_id)
		select ${study.id}::uuid, ra.subject_id, sa.prompt, sa.id, sb.id
		from samples sa join runs ra on ra.id = sa.run_id join methods ma on ma.id = ra.method_id and ma.name = 'DreamBooth'
		join runs rb on rb.subject_id = ra.subject_id join methods mb on mb.id = rb.method_id and mb.name = 'DreamBooth + SID'
		join samples sb on sb.run_id = rb.id and sb.prompt = sa.prompt`);
	await run(sql`insert into participants (study_id, pseudonym, external_id, started_at, completed_at, speeder, attention_failed)
		select ${study.id}::uuid, 'P-' || g, 'PROLIFIC_PID:' || md5(g::text), now() - interval '2 hours' + g * interval '10 ms',
			now() - interval '1 hour' + g * interval '10 ms', g % 50 = 0, false
		from generate_series(1, ${participants}) g`);
	await run(sql`with numbered as (select id, row_number() over (order by id) - 1 as k, count(*) over () as total from items where study_id = ${study.id}::uuid),
		people as (select id, row_number() over (order by id) - 1 as g from participants where study_id = ${study.id}::uuid)
		insert into assignments (participant_id, item_id, position, left_sample_id, right_sample_id)
		select p.id, i.id, pos, case when (p.g + pos) % 2 = 0 then i2.sample_a_id else i2.sample_b_id end,
			case when (p.g + pos) % 2 = 0 then i2.sample_b_id else i2.sample_a_id end
		from people p cross join generate_series(0, ${PER_PARTICIPANT - 1}) pos
		join numbered i on i.k = (p.g * ${PER_PARTICIPANT} + pos) % i.total
		join items i2 on i2.id = i.id`);
	await run(sql`insert into responses (id, assignment_id, question, choice, chosen_method_id, client_ms)
		select gen_random_uuid(), a.id, q.key, c.choice::choice,
			(select r.method_id from samples s join runs r on r.id = s.run_id
				where s.id = case c.choice when 'left' then a.left_sample_id when 'right' then a.right_sample_id end),
			1000 + (random() * 9000)::int
		from assignments a
		cross join (values ('subject'), ('disentanglement'), ('text'), ('overall')) q(key)
		cross join lateral (select (array['left', 'right', 'right', 'undecided'])[1 + floor(random() * 4)::int] as choice
			where a.id is not null) c`);
	return study.id;
}

main().catch((e) => {
	process.stderr.write(String(e?.stack ?? e) + '\n');
	process.exit(1);
});
