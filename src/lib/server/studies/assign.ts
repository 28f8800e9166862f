import { sql, type SQL } from 'drizzle-orm';
import { hotRows, type Db } from '../db';

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
	// Checked here, not only by the caller, whose copy of the study may be a second old: a
	// study closed a moment ago admits nobody. Previews may look at any study.
	const open =
		who.kind === 'new' && who.preview
			? sql`true`
			: sql`exists (select 1 from studies where id = ${studyId}::uuid and state = 'open')`;
	if (who.kind === 'link') {
		return sql`update participants set consented_at = ${who.at.toISOString()}::timestamptz,
				started_at = ${who.at.toISOString()}::timestamptz,
				external_id = ${who.externalId}, external_ids = ${ids}::jsonb,
				resume_code = ${who.resumeCode}
			where study_id = ${studyId}::uuid and link_token_hash = ${who.linkTokenHash}
				and started_at is null and exists (select 1 from placed) and ${open}
			returning id, pseudonym, preview, created_at`;
	}
	return sql`insert into participants (id, study_id, pseudonym, external_id, external_ids, preview,
				resume_code, consented_at, started_at)
			select ${who.id}::uuid, ${studyId}::uuid, ${who.pseudonym}, ${who.externalId},
				${ids}::jsonb, ${who.preview}, ${who.resumeCode}, ${who.at.toISOString()}::timestamptz,
				${who.at.toISOString()}::timestamptz
			where exists (select 1 from placed) and ${open}
			on conflict (study_id, external_id) do nothing
			returning id, pseudonym, preview, created_at`;
}

/**
 * Creates (or claims) a participant and gives them the lowest free slot of the study's
 * balanced schedule (studies/slots.ts: which items, in which order, which sample on the left),
 * in ONE autocommitted statement: the participant, its token, the claimed slot and the
 * assignments are committed together or not at all.
 *
 * Why slots: simultaneous arrivals must not be given the same place in the schedule, and
 * must not wait for each other. `for update skip locked` gives each its own free slot at
 * once (a slot held by an arrival still in flight is skipped, not waited for); a failed
 * arrival's slot stays free for the next one, so the claimed slots stay a prefix of the
 * schedule. The participant is written only when a slot was found (it depends on `placed`),
 * and a second device of one recruiter id meets the unique (study, external id) and does
 * nothing, leaving the slot free. Preview participants see the next free slot without
 * claiming it, so they do not count.
 *
 * Returns the participant's id, pseudonym, preview flag and creation time; null when nobody
 * was created (the study is not open, a used or unknown link, or the external id exists
 * already) or, with
 * `noSlot`, when no free slot was left (`ensureSlots` plans more, then the caller retries).
 */
export async function arriveAndAssign(
	db: Db,
	studyId: string,
	who: Newcomer,
	tokenHash: string
): Promise<
	| { id: string; pseudonym: string; preview: boolean; created_at: string; noSlot?: undefined }
	| { noSlot: true }
	| null
> {
	const preview = who.kind === 'new' && who.preview;
	const rows = await hotRows<{
		id: string | null;
		pseudonym: string;
		preview: boolean;
		created_at: string;
		slots: number;
	}>(
		db,
		sql`with slot as (
			select n, item_ids, a_on_left from assignment_slots
			where study_id = ${studyId}::uuid and participant_id is null
			order by n limit 1
			${preview ? sql`` : sql`for update skip locked`}
		),
		placed as (
			select u.item_id as id, (u.position - 1)::int as position, i.sample_a_id, i.sample_b_id,
				u.a_on_left
			from slot cross join lateral unnest(slot.item_ids, slot.a_on_left)
				with ordinality as u(item_id, a_on_left, position)
			join items i on i.id = u.item_id
		),
		p as (${newcomerSql(studyId, who)}),
		token as (
			insert into participant_tokens (token_hash, participant_id) select ${tokenHash}, id from p
		),
		claimed as (
			update assignment_slots set participant_id = p.id from p, slot
			where assignment_slots.study_id = ${studyId}::uuid and assignment_slots.n = slot.n
				and not ${preview}
		),
		assigned as (
			insert into assignments (participant_id, item_id, position, left_sample_id, right_sample_id)
			select p.id, placed.id, placed.position,
				case when placed.a_on_left then placed.sample_a_id else placed.sample_b_id end,
				case when placed.a_on_left then placed.sample_b_id else placed.sample_a_id end
			from placed cross join p
		)
		select p.id, p.pseudonym, p.preview, p.created_at, (select count(*)::int from slot) as slots
		from (select 1) one left join p on true`
	);
	const row = rows[0];
	if (!row || row.slots === 0) return { noSlot: true };
	return row.id ? { ...row, id: row.id } : null;
}
