import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../db';

interface ItemCounter {
	id: string;
	subject_id: string;
	sample_a_id: string;
	sample_b_id: string;
	/** The methods of sample A and B: items of the same pair of methods share a key. */
	pair: string;
	exposures: number;
	a_left: number;
}

function shuffle<T>(xs: T[]): T[] {
	for (let i = xs.length - 1; i > 0; i--) {
		const j = Math.floor(Math.random() * (i + 1));
		[xs[i], xs[j]] = [xs[j], xs[i]];
	}
	return xs;
}

/** Smallest keys first (compared in order); ties in random order (shuffle, then a stable sort). */
function leastFirst<T>(xs: T[], ...keys: ((x: T) => number)[]): T[] {
	return shuffle([...xs]).sort((a, b) => {
		for (const key of keys) {
			const d = key(a) - key(b);
			if (d !== 0) return d;
		}
		return 0;
	});
}

function sumBy<T>(xs: T[], group: (x: T) => string, value: (x: T) => number) {
	const out = new Map<string, number>();
	for (const x of xs) out.set(group(x), (out.get(group(x)) ?? 0) + value(x));
	return out;
}

/** Any constant works: it keeps this lock apart from other advisory locks of the database. */
const ASSIGN_LOCK_CLASS = 7313;

/**
 * Gives a participant `k` subjects (one item each) and fixes the order and the left/right
 * placement, from the per-item counters (`items.exposures`, `items.a_left`):
 * - the least-exposed subjects first (random tie-break), which keeps every subject's
 *   exposure within 1 of the others;
 * - within a subject, the pair of methods seen least often for that subject, then its
 *   least-exposed item (with k methods, each subject's pairs stay balanced);
 * - the sample that has been on the left less often goes left (per item, then per pair of
 *   methods across the study, then at random).
 * Arrivals serialize only here: a transaction-scoped advisory lock per study, taken last in
 * the arrival's transaction, so it is held for one read, one write and the commit, while
 * everything else an arrival does runs in parallel. Preview participants are assigned the
 * same way but neither wait nor count.
 */
export async function assignItems(
	tx: Tx,
	studyId: string,
	participantId: string,
	k: number,
	preview = false
): Promise<number> {
	if (!preview) {
		await tx.execute(sql`select pg_advisory_xact_lock(${ASSIGN_LOCK_CLASS}, hashtext(${studyId}))`);
	}
	const counters = await queryRows<ItemCounter>(
		tx,
		sql`select i.id, i.subject_id, i.sample_a_id, i.sample_b_id, i.exposures, i.a_left,
			ra.method_id || ':' || rb.method_id as pair
		from items i
		join samples sa on sa.id = i.sample_a_id join runs ra on ra.id = sa.run_id
		join samples sb on sb.id = i.sample_b_id join runs rb on rb.id = sb.run_id
		where i.study_id = ${studyId}`
	);
	if (counters.length === 0) return 0;
	const bySubject = new Map<string, ItemCounter[]>();
	for (const c of counters)
		bySubject.set(c.subject_id, [...(bySubject.get(c.subject_id) ?? []), c]);
	const subjects = [...bySubject.values()].map((list) => ({
		list,
		exposures: list.reduce((n, c) => n + c.exposures, 0)
	}));
	const pairLeft = sumBy(
		counters,
		(c) => c.pair,
		(c) => 2 * c.a_left - c.exposures
	);
	const chosen = leastFirst(subjects, (s) => s.exposures).slice(0, k);
	const rows = shuffle(chosen).map((s, position) => {
		const pairSeen = sumBy(
			s.list,
			(c) => c.pair,
			(c) => c.exposures
		);
		const item = leastFirst(
			s.list,
			(c) => pairSeen.get(c.pair)!,
			(c) => c.exposures
		)[0];
		// > 0: A has been on the left more often than on the right.
		const lean = 2 * item.a_left - item.exposures || pairLeft.get(item.pair)!;
		const aLeft = lean === 0 ? Math.random() < 0.5 : lean < 0;
		return {
			item,
			position,
			aLeft,
			left: aLeft ? item.sample_a_id : item.sample_b_id,
			right: aLeft ? item.sample_b_id : item.sample_a_id
		};
	});
	const values = sql.join(
		rows.map(
			(r) =>
				sql`(${participantId}::uuid, ${r.item.id}::uuid, ${r.position}::int, ${r.left}::uuid, ${r.right}::uuid, ${r.aLeft ? 1 : 0}::int)`
		),
		sql`, `
	);
	// One statement for the counters and the assignments, so the lock is held for one write.
	await tx.execute(
		sql`with chosen (participant_id, item_id, position, left_sample_id, right_sample_id, a_left)
			as (values ${values}),
		counted as (
			update items set exposures = items.exposures + 1, a_left = items.a_left + chosen.a_left
			from chosen where items.id = chosen.item_id and not ${preview}
			returning items.id)
		insert into assignments (participant_id, item_id, position, left_sample_id, right_sample_id)
		select participant_id, item_id, position, left_sample_id, right_sample_id from chosen`
	);
	return rows.length;
}
