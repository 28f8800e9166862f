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
	/** grouping() bitmask: 1 for the per-participant rows, 2 for the per-item rows. */
	g: number;
	participantId: string | null;
	itemId: string | null;
	question: string;
	a: number;
	b: number;
	undecided: number;
	left: number;
	right: number;
}

interface PairItem {
	id: string;
	subjectId: string;
	subjectName: string;
	prompt: string;
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

/**
 * A PostgreSQL array literal: one parameter however many ids (uuids need no quoting).
 * Used as `in (select unnest(…))`, which PostgreSQL hashes; `= any(…)` would compare every
 * answer with every id.
 */
const uuidArray = (ids: Iterable<string>) => `{${[...ids].join(',')}}`;

/** The study's items that compare exactly the pair, with their subject and prompt. */
async function pairItems(db: Db, studyId: string, pair: { a: string; b: string }) {
	return queryRows<PairItem>(
		db,
		sql`select i.id, i.subject_id as "subjectId", sub.name as "subjectName", i.prompt
		from items i
		join subjects sub on sub.id = i.subject_id
		join samples sa on sa.id = i.sample_a_id join runs ra on ra.id = sa.run_id
		join samples sb on sb.id = i.sample_b_id join runs rb on rb.id = sb.run_id
		where i.study_id = ${studyId}::uuid
			and ((ra.method_id = ${pair.a}::uuid and rb.method_id = ${pair.b}::uuid)
				or (ra.method_id = ${pair.b}::uuid and rb.method_id = ${pair.a}::uuid))`
	);
}

/**
 * Tallies of the pair (a = the study's method at position 0, b = position 1) over the
 * answers of every participant not in `excluded` (which must list the previews too).
 * The scan groups on two uuid keys only; subject and prompt drill-downs are sums of the
 * item tallies, and pseudonyms come from the participant list the caller already has.
 */
export async function loadTallies(
	db: Db,
	studyId: string,
	questions: readonly string[],
	pair: { a: string; b: string },
	excluded: Iterable<string>,
	pseudonyms: ReadonlyMap<string, string>
): Promise<StudyTallies> {
	const itemList = await pairItems(db, studyId, pair);
	if (itemList.length === 0) return noTallies(questions);
	// Enough memory to hash both grouping sets (about 100k groups per million answers) instead
	// of sorting a million rows on disk; LOCAL keeps the setting inside this transaction.
	const rows = await db.transaction(async (tx) => {
		await tx.execute(sql`set local work_mem = '64MB'`);
		return queryRows<Row>(
			tx,
			sql`select grouping(asg.participant_id, asg.item_id)::int as g,
			asg.participant_id as "participantId", asg.item_id as "itemId", r.question,
			count(*) filter (where r.chosen_method_id = ${pair.a}::uuid)::int as a,
			count(*) filter (where r.chosen_method_id = ${pair.b}::uuid)::int as b,
			count(*) filter (where r.choice = 'undecided')::int as undecided,
			count(*) filter (where r.choice = 'left')::int as "left",
			count(*) filter (where r.choice = 'right')::int as "right"
		from responses r
		join assignments asg on asg.id = r.assignment_id
		where asg.item_id in (select unnest(${uuidArray(itemList.map((i) => i.id))}::uuid[]))
			and r.question <> 'attention'
			and asg.participant_id not in (select unnest(${uuidArray(excluded)}::uuid[]))
		group by grouping sets ((asg.participant_id, r.question), (asg.item_id, r.question))`
		);
	});
	const counts = (r: Row): GroupCounts => ({ a: r.a, b: r.b, undecided: r.undecided });
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
		const c = (d.counts[r.question] ??= { a: 0, b: 0, undecided: 0 });
		c.a += r.a;
		c.b += r.b;
		c.undecided += r.undecided;
	};
	const itemById = new Map(itemList.map((i) => [i.id, i]));
	for (const r of rows) {
		const q = perQuestion.get(r.question);
		if (r.g === 1) {
			const pseudonym = pseudonyms.get(r.participantId!) ?? r.participantId!;
			add(drill.participant, r.participantId!, pseudonym, r);
			if (!q) continue;
			q.participants.push({ key: pseudonym, ...counts(r) });
			q.left += r.left;
			q.right += r.right;
		} else {
			const item = itemById.get(r.itemId!)!;
			q?.items.push({ key: r.itemId!, ...counts(r) });
			add(drill.subject, item.subjectId, item.subjectName, r);
			add(
				drill.prompt,
				`${item.subjectId}\u0000${item.prompt}`,
				`${item.subjectName}: ${item.prompt}`,
				r
			);
		}
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
			and p.id not in (select unnest(${uuidArray(excluded)}::uuid[]))
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
