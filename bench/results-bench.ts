/**
 * Results-page benchmark: seeds a study with N answers into a real PostgreSQL
 * (one INSERT … SELECT per table, on the server) and times `studyResults`,
 * the function behind the results page and its JSON endpoint: the
 * participants query, the tallies (GROUPING SETS) query and the statistics.
 *
 *   node --import tsx bench/results-bench.ts --responses 1000000 [--keep sid_bench_results]
 *
 * BENCH_DATABASE_URL (default: the test server postgres://postgres@127.0.0.1:54329/postgres)
 * must allow CREATE DATABASE; a scratch database is created and dropped.
 */
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, type Db } from '../src/lib/server/db';
import { getStudy } from '../src/lib/server/studies/studies';
import { DEFAULT_RULES, studyResults } from '../src/lib/server/results';
import { applyExclusions, loadParticipants } from '../src/lib/server/results/answers';
import { loadTallies } from '../src/lib/server/results/tallies';
import { summarizeStudy } from '../src/lib/server/analysis/preferences';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
	args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const N = Number(args.get('responses') ?? 1_000_000);
const PER_PARTICIPANT = 10;
const SUBJECTS = 100;
const PROMPTS = 4;
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
			: await seed(d.db, participants);
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
	} finally {
		await d.close();
		if (!keep) await admin.unsafe(`drop database if exists ${name} with (force)`);
		await admin.end();
	}
}

/**
 * A two-method study with a real, mixed preference: each participant leans towards B with a
 * strength of their own, so the statistics have something to find.
 */
async function seed(db: Db, participants: number): Promise<string> {
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
		sql`insert into studies (slug, title, state, attention_check) values ('bench', 'Benchmark study', 'open', true) returning id`
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
		select p.id, i.id, pos, case when (p.g + pos) % 2 = 0 then i.sample_a_id else i.sample_b_id end,
			case when (p.g + pos) % 2 = 0 then i.sample_b_id else i.sample_a_id end
		from people p cross join generate_series(0, ${PER_PARTICIPANT - 1}) pos
		join numbered n on n.k = (p.g * ${PER_PARTICIPANT} + pos) % n.total
		join items i on i.id = n.id`);
	// Undecided one time in five; otherwise B with the participant's own probability (0.3 to 0.9).
	await run(sql`insert into responses (id, assignment_id, question, choice, chosen_method_id, client_ms)
		select gen_random_uuid(), x.id, x.key, x.choice::choice,
			case x.choice when 'left' then x.left_method when 'right' then x.right_method end,
			1000 + (random() * 9000)::int
		from (
			select a.id, q.key, lr.method_id as left_method, rr.method_id as right_method,
				case when random() < 0.2 then 'undecided'
					when (random() < 0.3 + 0.6 * (hashtext(a.participant_id::text) & 1023) / 1023.0) = (lm.name = 'DreamBooth + SID')
					then 'left' else 'right' end as choice
			from assignments a
			join samples ls on ls.id = a.left_sample_id join runs lr on lr.id = ls.run_id join methods lm on lm.id = lr.method_id
			join samples rs on rs.id = a.right_sample_id join runs rr on rr.id = rs.run_id
			cross join (values ('subject'), ('disentanglement'), ('text'), ('overall')) q(key)
		) x`);
	return study.id;
}

main().catch((e) => {
	process.stderr.write(String(e?.stack ?? e) + '\n');
	process.exit(1);
});
