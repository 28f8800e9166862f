import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../db';

/** Who is being assigned: a new participant, or a personal link's participant claiming it. */
export type Newcomer =
	| {
			kind: 'new';
			id: string;
			pseudonym: string;
			externalId: string | null;
			externalIds: Record<string, string>;
			preview: boolean;
			resumeCode: string | null;
			at: Date;
	  }
	| {
			kind: 'link';
			linkTokenHash: string;
			externalId: string | null;
			externalIds: Record<string, string>;
			resumeCode: string | null;
			at: Date;
	  };

function newcomerSql(studyId: string, who: Newcomer): SQL {
	const ids = JSON.stringify(who.externalIds);
	if (who.kind === 'link') {
		return sql`update participants set consented_at = ${who.at.toISOString()}::timestamptz,
				started_at = ${who.at.toISOString()}::timestamptz,
				external_id = ${who.externalId}, external_ids = ${ids}::jsonb,
				resume_code = ${who.resumeCode}
			where study_id = ${studyId}::uuid and link_token_hash = ${who.linkTokenHash}
				and started_at is null and exists (select 1 from placed)
			returning id, pseudonym, preview, created_at`;
	}
	return sql`insert into participants (id, study_id, pseudonym, external_id, external_ids, preview,
				resume_code, consented_at, started_at)
			select ${who.id}::uuid, ${studyId}::uuid, ${who.pseudonym}, ${who.externalId},
				${ids}::jsonb, ${who.preview}, ${who.resumeCode}, ${who.at.toISOString()}::timestamptz,
				${who.at.toISOString()}::timestamptz
			where exists (select 1 from placed)
			on conflict (study_id, external_id) do nothing
			returning id, pseudonym, preview, created_at`;
}

/**
 * Creates (or claims) a participant, gives them `k` subjects (one item each) and fixes the
 * order and left/right placement, in ONE autocommitted statement, from the per-item counters
 * (`items.exposures`, `items.a_left`):
 * - the least-exposed subjects first (random tie-break), which keeps every subject's
 *   exposure within 1 of the others;
 * - within a subject, the pair of methods seen least often for that subject, then its
 *   least-exposed item (with k methods, each subject's pairs stay balanced);
 * - the sample that has been on the left less often goes left (per item, then per pair of
 *   methods across the study, then at random).
 *
 * Why one statement: simultaneous arrivals must see each other's counts, so they take turns
 * on the study's item rows (`for update`, always in id order, so no deadlock). A lock held
 * across round trips to the app would queue a burst behind the app's event loop; here it is
 * held only while the database runs this statement and commits it. The rows `for update`
 * returns are their newest committed versions, so every choice below is made on fresh counts.
 * The participant is written only after the lock (it depends on `placed`), so two devices of
 * one recruiter id never wait on each other in the wrong order: the second one's insert
 * meets the unique (study, external id) and does nothing. Preview participants are assigned
 * the same way but do not count.
 *
 * Returns the participant's id, pseudonym, preview flag and creation time, or null when
 * nobody was created: no items, a used or unknown link, or the external id exists already.
 */
export async function arriveAndAssign(
	db: Db,
	studyId: string,
	k: number,
	who: Newcomer,
	tokenHash: string
): Promise<{ id: string; pseudonym: string; preview: boolean; created_at: string } | null> {
	const preview = who.kind === 'new' && who.preview;
	const rows = await queryRows<{
		id: string | null;
		pseudonym: string;
		preview: boolean;
		created_at: string;
	}>(
		db,
		sql`with locked as (
			select i.id, i.subject_id, i.sample_a_id, i.sample_b_id, i.exposures, i.a_left,
				ra.method_id::text || ':' || rb.method_id::text as pair
			from items i
			join samples sa on sa.id = i.sample_a_id join runs ra on ra.id = sa.run_id
			join samples sb on sb.id = i.sample_b_id join runs rb on rb.id = sb.run_id
			where i.study_id = ${studyId}::uuid
			order by i.id
			for update of i
		),
		chosen_subjects as (
			select subject_id, (row_number() over (order by random()) - 1)::int as position
			from (select subject_id from locked group by subject_id
				order by sum(exposures), random() limit ${k}) s
		),
		counted as (
			select l.*, sum(l.exposures) over (partition by l.subject_id, l.pair) as pair_seen,
				sum(2 * l.a_left - l.exposures) over (partition by l.pair) as pair_lean
			from locked l
		),
		ranked as (
			select c.*, cs.position, row_number() over (partition by c.subject_id
				order by c.pair_seen, c.exposures, random()) as rank
			from counted c join chosen_subjects cs on cs.subject_id = c.subject_id
		),
		placed as (
			select id, position, sample_a_id, sample_b_id,
				case when 2 * a_left - exposures <> 0 then 2 * a_left - exposures < 0
					when pair_lean <> 0 then pair_lean < 0
					else random() < 0.5 end as a_on_left
			from ranked where rank = 1
		),
		p as (${newcomerSql(studyId, who)}),
		token as (
			insert into participant_tokens (token_hash, participant_id) select ${tokenHash}, id from p
		),
		bumped as (
			update items set exposures = items.exposures + 1,
				a_left = items.a_left + case when placed.a_on_left then 1 else 0 end
			from placed where items.id = placed.id and not ${preview} and exists (select 1 from p)
		),
		assigned as (
			insert into assignments (participant_id, item_id, position, left_sample_id, right_sample_id)
			select p.id, placed.id, placed.position,
				case when placed.a_on_left then placed.sample_a_id else placed.sample_b_id end,
				case when placed.a_on_left then placed.sample_b_id else placed.sample_a_id end
			from placed cross join p
		)
		select p.id, p.pseudonym, p.preview, p.created_at from p`
	);
	return rows[0]?.id ? { ...rows[0], id: rows[0].id } : null;
}

/** Whether the study has anything to assign (to tell "no items" from the other refusals). */
export async function hasItems(db: Db, studyId: string): Promise<boolean> {
	const rows = await queryRows<{ one: number }>(
		db,
		sql`select 1 as one from items where study_id = ${studyId}::uuid limit 1`
	);
	return rows.length > 0;
}
