import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../src/lib/server/db';

/** Items per participant, as in the paper; subjects and prompts give 400 items. */
export const PER_PARTICIPANT = 10;
const SUBJECTS = 100;
const PROMPTS = 4;

/**
 * A two-method study with a real, mixed preference: each participant leans towards B with a
 * strength of their own, so the statistics have something to find.
 */
export async function seedBigStudy(db: Db, participants: number): Promise<string> {
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
