/**
 * The study's answers aggregated in the database: one pass with GROUPING SETS
 * gives per-question counts by participant, by item, by subject and by
 * prompt, so a study of a million answers returns a few thousand rows and
 * never loads an answer into memory. Everything on the results page is
 * computed from these tallies (analysis/preferences.ts).
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db';
import type { ClusterCounts } from '../analysis/clustered';
import { byKey, type QuestionTally } from '../analysis/tally';
import type { Comparison } from '../analysis/bradley-terry';

export interface GroupCounts {
	a: number;
	b: number;
	undecided: number;
}

export interface Drilldown {
	key: string;
	label: string;
	/** question key -> counts */
	counts: Record<string, GroupCounts>;
}

export interface StudyTallies {
	questions: QuestionTally[];
	bySubject: Drilldown[];
	byPrompt: Drilldown[];
	/** Keyed by participant id, labelled by pseudonym. */
	byParticipant: Drilldown[];
}

interface Row {
	/** grouping() bitmask: 0 participant, 1 item, 2 subject, 3 prompt set (see below). */
	g: number;
	participantId: string | null;
	pseudonym: string | null;
	itemId: string | null;
	subjectId: string | null;
	subjectName: string | null;
	prompt: string | null;
	question: string;
	a: number;
	b: number;
	undecided: number;
	left: number;
	right: number;
}

/** A study without its two methods yet: every question, nothing counted. */
export function noTallies(questions: readonly string[]): StudyTallies {
	return {
		questions: questions.map((question) => ({
			question,
			participants: [],
			items: [],
			left: 0,
			right: 0
		})),
		bySubject: [],
		byPrompt: [],
		byParticipant: []
	};
}

/** A PostgreSQL array literal: one parameter however many ids (uuids need no quoting). */
const uuidArray = (ids: Iterable<string>) => `{${[...ids].join(',')}}`;

/**
 * Tallies of the pair (a = the study's method at position 0, b = position 1) over the
 * answers of every non-preview participant not in `excluded`.
 */
export async function loadTallies(
	db: Db,
	studyId: string,
	questions: readonly string[],
	pair: { a: string; b: string },
	excluded: Iterable<string>
): Promise<StudyTallies> {
	const rows = await queryRows<Row>(
		db,
		sql`with pair_items as (
			select i.id, i.subject_id, sub.name as subject_name, i.prompt
			from items i
			join subjects sub on sub.id = i.subject_id
			join samples sa on sa.id = i.sample_a_id join runs ra on ra.id = sa.run_id
			join samples sb on sb.id = i.sample_b_id join runs rb on rb.id = sb.run_id
			where i.study_id = ${studyId}::uuid
				and ((ra.method_id = ${pair.a}::uuid and rb.method_id = ${pair.b}::uuid)
					or (ra.method_id = ${pair.b}::uuid and rb.method_id = ${pair.a}::uuid))
		)
		select grouping(p.id, pi.id, pi.subject_id, pi.prompt)::int as g,
			p.id as "participantId", min(p.pseudonym) as pseudonym, pi.id as "itemId",
			pi.subject_id as "subjectId", min(pi.subject_name) as "subjectName", pi.prompt,
			r.question,
			count(*) filter (where r.chosen_method_id = ${pair.a}::uuid)::int as a,
			count(*) filter (where r.chosen_method_id = ${pair.b}::uuid)::int as b,
			count(*) filter (where r.choice = 'undecided')::int as undecided,
			count(*) filter (where r.choice = 'left')::int as "left",
			count(*) filter (where r.choice = 'right')::int as "right"
		from responses r
		join assignments asg on asg.id = r.assignment_id
		join participants p on p.id = asg.participant_id
		join pair_items pi on pi.id = asg.item_id
		where p.study_id = ${studyId}::uuid and not p.preview and r.question <> 'attention'
			and not (p.id = any(${uuidArray(excluded)}::uuid[]))
		group by grouping sets ((p.id, r.question), (pi.id, r.question),
			(pi.subject_id, r.question), (pi.subject_id, pi.prompt, r.question))`
	);
	// grouping(p, item, subject, prompt): a bit is 1 where that column is NOT grouped.
	const BY_PARTICIPANT = 0b0111;
	const BY_ITEM = 0b1011;
	const BY_SUBJECT = 0b1101;
	const BY_PROMPT = 0b1100;
	const counts = (r: Row): GroupCounts => ({ a: r.a, b: r.b, undecided: r.undecided });
	const cluster = (key: string, r: Row): ClusterCounts => ({ key, ...counts(r) });

	const perQuestion = new Map(
		questions.map((q) => [
			q,
			{ participants: [] as ClusterCounts[], items: [] as ClusterCounts[], left: 0, right: 0 }
		])
	);
	const drill = {
		subject: new Map<string, Drilldown>(),
		prompt: new Map<string, Drilldown>(),
		participant: new Map<string, Drilldown>()
	};
	const add = (m: Map<string, Drilldown>, key: string, label: string, r: Row) => {
		const d = m.get(key) ?? { key, label, counts: {} };
		m.set(key, d);
		d.counts[r.question] = counts(r);
	};
	for (const r of rows) {
		const q = perQuestion.get(r.question);
		if (r.g === BY_PARTICIPANT) {
			add(drill.participant, r.participantId!, r.pseudonym!, r);
			if (!q) continue;
			q.participants.push(cluster(r.pseudonym!, r));
			q.left += r.left;
			q.right += r.right;
		} else if (r.g === BY_ITEM) q?.items.push(cluster(r.itemId!, r));
		else if (r.g === BY_SUBJECT) add(drill.subject, r.subjectId!, r.subjectName!, r);
		else if (r.g === BY_PROMPT)
			add(drill.prompt, `${r.subjectId}\u0000${r.prompt}`, `${r.subjectName}: ${r.prompt}`, r);
	}
	const sorted = (m: Map<string, Drilldown>) =>
		[...m.values()].sort((x, y) => x.label.localeCompare(y.label));
	return {
		questions: questions.map((question) => {
			const t = perQuestion.get(question)!;
			return {
				question,
				participants: t.participants.sort(byKey),
				items: t.items.sort(byKey),
				left: t.left,
				right: t.right
			};
		}),
		bySubject: sorted(drill.subject),
		byPrompt: sorted(drill.prompt),
		byParticipant: sorted(drill.participant)
	};
}

/**
 * The "overall" answers of every pair of methods, counted per participant and outcome, for
 * Bradley-Terry with participant-bootstrap intervals (studies of more than two methods).
 */
export async function loadOverallComparisons(
	db: Db,
	studyId: string,
	methodIds: readonly string[],
	excluded: Iterable<string>
): Promise<Comparison[][]> {
	const rows = await queryRows<{
		participantId: string;
		left: string;
		right: string;
		chosen: string | null;
		n: number;
	}>(
		db,
		sql`select asg.participant_id as "participantId", lr.method_id as "left", rr.method_id as "right",
			r.chosen_method_id as chosen, count(*)::int as n
		from responses r
		join assignments asg on asg.id = r.assignment_id
		join participants p on p.id = asg.participant_id
		join samples ls on ls.id = asg.left_sample_id join runs lr on lr.id = ls.run_id
		join samples rs on rs.id = asg.right_sample_id join runs rr on rr.id = rs.run_id
		where p.study_id = ${studyId}::uuid and not p.preview and r.question = 'overall'
			and not (p.id = any(${uuidArray(excluded)}::uuid[]))
		group by 1, 2, 3, 4
		order by 1`
	);
	const index = new Map(methodIds.map((m, i) => [m, i]));
	const perParticipant = new Map<string, Comparison[]>();
	for (const x of rows) {
		const i = index.get(x.left);
		const j = index.get(x.right);
		if (i === undefined || j === undefined) continue;
		const winner = x.chosen === null ? null : (index.get(x.chosen) ?? null);
		const list = perParticipant.get(x.participantId) ?? [];
		for (let k = 0; k < x.n; k++) list.push({ i, j, winner });
		perParticipant.set(x.participantId, list);
	}
	return [...perParticipant.values()];
}
