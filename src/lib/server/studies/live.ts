import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db';

/** A participant with no answer for this long is counted as having abandoned the study. */
export const ABANDON_MINUTES = 30;

export interface LiveStats {
	started: number;
	completed: number;
	inProgress: number;
	abandoned: number;
	previews: number;
	responses: number;
	attentionFailures: number;
	speeders: number;
	completionMinutes: { median: number | null; min: number | null; max: number | null };
	subjects: { name: string; assigned: number; completed: number }[];
	recent: {
		pseudonym: string;
		startedAt: string;
		completedAt: string | null;
		answered: number;
		speeder: boolean | null;
		attentionFailed: boolean | null;
	}[];
}

/** Everything the admin live view shows, in a few aggregate queries (previews excluded). */
export async function liveStats(db: Db, studyId: string): Promise<LiveStats> {
	const [p] = await queryRows<
		Omit<LiveStats, 'completionMinutes' | 'subjects' | 'recent'> & {
			median: number | null;
			min: number | null;
			max: number | null;
		}
	>(
		db,
		sql`with p as (
			select pa.*, (select max(r.received_at) from responses r join assignments a on a.id = r.assignment_id
				where a.participant_id = pa.id) as last_answer,
				(select count(*) from responses r join assignments a on a.id = r.assignment_id
				where a.participant_id = pa.id) as answers
			from participants pa where pa.study_id = ${studyId} and pa.started_at is not null)
		select
			(count(*) filter (where not preview))::int as started,
			(count(*) filter (where not preview and completed_at is not null))::int as completed,
			(count(*) filter (where not preview and completed_at is null
				and coalesce(last_answer, started_at) >= now() - make_interval(mins => ${ABANDON_MINUTES})))::int as "inProgress",
			(count(*) filter (where not preview and completed_at is null
				and coalesce(last_answer, started_at) < now() - make_interval(mins => ${ABANDON_MINUTES})))::int as abandoned,
			(count(*) filter (where preview))::int as previews,
			(coalesce(sum(answers) filter (where not preview), 0))::int as responses,
			(count(*) filter (where not preview and attention_failed))::int as "attentionFailures",
			(count(*) filter (where not preview and speeder))::int as speeders,
			percentile_cont(0.5) within group (order by extract(epoch from completed_at - started_at) / 60)
				filter (where not preview and completed_at is not null) as median,
			min(extract(epoch from completed_at - started_at) / 60) filter (where not preview) as min,
			max(extract(epoch from completed_at - started_at) / 60) filter (where not preview) as max
		from p`
	);
	const subjects = await queryRows<LiveStats['subjects'][number]>(
		db,
		sql`select s.name,
			(count(pa.id) filter (where not pa.preview))::int as assigned,
			(count(pa.id) filter (where not pa.preview and pa.completed_at is not null))::int as completed
		from items i join subjects s on s.id = i.subject_id
		left join assignments a on a.item_id = i.id
		left join participants pa on pa.id = a.participant_id
		where i.study_id = ${studyId}
		group by s.name order by s.name`
	);
	const recent = await queryRows<LiveStats['recent'][number]>(
		db,
		sql`select pa.pseudonym, pa.started_at as "startedAt", pa.completed_at as "completedAt",
			pa.speeder, pa.attention_failed as "attentionFailed",
			(select count(*)::int from responses r join assignments a on a.id = r.assignment_id
				where a.participant_id = pa.id) as answered
		from participants pa where pa.study_id = ${studyId} and pa.started_at is not null and not pa.preview
		order by pa.started_at desc limit 20`
	);
	const num = (x: unknown) => (x === null || x === undefined ? null : Number(x));
	return {
		started: p.started,
		completed: p.completed,
		inProgress: p.inProgress,
		abandoned: p.abandoned,
		previews: p.previews,
		responses: p.responses,
		attentionFailures: p.attentionFailures,
		speeders: p.speeders,
		completionMinutes: { median: num(p.median), min: num(p.min), max: num(p.max) },
		subjects,
		recent
	};
}
