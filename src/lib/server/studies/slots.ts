import { sql } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '../db';

/**
 * The balanced schedule behind arrivals (table `assignment_slots`). Slot n says what the n-th
 * participant sees; a batch of slots is worked out here, in order, by the greedy rules below,
 * each slot from the counts the slots before it leave:
 * - the least-exposed subjects first (random tie-break), which keeps every subject's exposure
 *   within 1 of the others after every slot;
 * - within a subject, the pair of methods seen least often for that subject, then its
 *   least-exposed item (with k methods, each subject's pairs stay balanced);
 * - the sample that has been on the left less often goes left (per item, then per pair of
 *   methods across the study, then at random);
 * - the screens in random order.
 * Arrivals claim the lowest free slot (`arriveAndAssign`), so the claimed slots are always a
 * prefix 0…N-1 and every guarantee above holds for the participants themselves, while no
 * arrival waits for another. Why ahead of time: an arrival that balanced on live counters had
 * to lock the study's items, and a burst of arrivals queued on that lock.
 */

export const SLOT_BATCH = 500;
/** More free slots than arrivals can hold at once (one per database connection). */
export const MIN_FREE = 100;

interface Item {
	id: string;
	subject: string;
	pair: string;
	exposures: number;
	aLeft: number;
}

interface Slot {
	n: number;
	itemIds: string[];
	aOnLeft: boolean[];
}

const random = () => Math.random();

/** Lowest first by `key`, ties broken at random. */
function leastBy<T>(xs: T[], key: (x: T) => number[]): T[] {
	const tagged = xs.map((x) => ({ x, k: [...key(x), random()] }));
	tagged.sort((a, b) => {
		for (let i = 0; i < a.k.length; i++) if (a.k[i] !== b.k[i]) return a.k[i] - b.k[i];
		return 0;
	});
	return tagged.map((t) => t.x);
}

/** Slots `from` … `from + count - 1`, continuing from the counts in `items` (updated in place). */
export function planSlots(items: Item[], k: number, from: number, count: number): Slot[] {
	// Running sums, so a slot costs O(subjects + k × items of a subject), not O(k × items).
	const bySubject = new Map<string, Item[]>();
	const seen = new Map<string, number>(); // per subject
	const pairSeen = new Map<string, number>(); // per subject and pair
	const lean = new Map<string, number>(); // per pair: A on the left minus B on the left
	const add = (m: Map<string, number>, key: string, d: number) => m.set(key, (m.get(key) ?? 0) + d);
	for (const i of items) {
		bySubject.set(i.subject, [...(bySubject.get(i.subject) ?? []), i]);
		add(seen, i.subject, i.exposures);
		add(pairSeen, `${i.subject}|${i.pair}`, i.exposures);
		add(lean, i.pair, 2 * i.aLeft - i.exposures);
	}
	const subjects = [...bySubject.keys()];
	const slots: Slot[] = [];
	for (let n = from; n < from + count; n++) {
		const chosen = leastBy(subjects, (s) => [seen.get(s)!]).slice(0, k);
		const picks = chosen.map((s) => {
			const [item] = leastBy(bySubject.get(s)!, (i) => [
				pairSeen.get(`${s}|${i.pair}`)!,
				i.exposures
			]);
			const itemLean = 2 * item.aLeft - item.exposures;
			const pairLean = lean.get(item.pair)!;
			const aOnLeft =
				itemLean !== 0 ? itemLean < 0 : pairLean !== 0 ? pairLean < 0 : random() < 0.5;
			item.exposures += 1;
			if (aOnLeft) item.aLeft += 1;
			add(seen, s, 1);
			add(pairSeen, `${s}|${item.pair}`, 1);
			add(lean, item.pair, aOnLeft ? 1 : -1);
			return { id: item.id, aOnLeft };
		});
		const order = leastBy(picks, () => []);
		slots.push({ n, itemIds: order.map((p) => p.id), aOnLeft: order.map((p) => p.aOnLeft) });
	}
	return slots;
}

/**
 * Makes sure the study has a free slot: when none is left, plans the next batch from what
 * real participants were given plus the slots still free. Under a transaction-scoped advisory
 * lock, so simultaneous callers plan once; the others find the new slots and return.
 * Returns false only when the study has no items to schedule.
 */
export async function ensureSlots(
	db: Db,
	studyId: string,
	k: number,
	batch = SLOT_BATCH
): Promise<boolean> {
	return db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'slots:' + studyId}))`);
		// The free slots include those that arrivals in flight hold (claimed, not committed), so
		// "none left for me" means fewer free than arrivals in flight: at most one per database
		// connection of every app instance, far below MIN_FREE. Not counted by locking them: an
		// arrival would skip a slot the count holds and leave a hole in the claimed prefix.
		const [free] = await queryRows<{ n: number; next: number }>(
			tx,
			sql`select count(*) filter (where participant_id is null)::int as n,
				coalesce(max(n) + 1, 0)::int as next
			from assignment_slots where study_id = ${studyId}::uuid`
		);
		if (free.n >= MIN_FREE) return true;
		const items = await itemCounts(tx, studyId);
		if (!items.length) return false;
		const slots = planSlots(items, k, free.next, batch);
		for (let i = 0; i < slots.length; i += 100) {
			const chunk = slots.slice(i, i + 100);
			await tx.execute(sql`insert into assignment_slots (study_id, n, item_ids, a_on_left)
				select ${studyId}::uuid, s.n, array(select jsonb_array_elements_text(s.items)::uuid),
					array(select jsonb_array_elements_text(s.sides)::boolean)
				from jsonb_to_recordset(${JSON.stringify(
					chunk.map((s) => ({ n: s.n, items: s.itemIds, sides: s.aOnLeft }))
				)}::jsonb) as s(n int, items jsonb, sides jsonb)
				on conflict do nothing`);
		}
		return true;
	});
}

/**
 * The study's items with how often real (non-preview) participants were given each and with
 * sample A on the left, plus what the free slots will give.
 */
async function itemCounts(tx: Tx, studyId: string): Promise<Item[]> {
	return queryRows<Item>(
		tx,
		sql`with given as (
				select a.item_id, a.left_sample_id = i.sample_a_id as a_left
				from assignments a join participants p on p.id = a.participant_id
				join items i on i.id = a.item_id
				where p.study_id = ${studyId}::uuid and not p.preview
				union all
				select u.item_id, u.a_left
				from assignment_slots s, unnest(s.item_ids, s.a_on_left) as u(item_id, a_left)
				where s.study_id = ${studyId}::uuid and s.participant_id is null
			)
			select i.id, i.subject_id as subject, ra.method_id::text || ':' || rb.method_id::text as pair,
				count(g.item_id)::int as exposures, (count(*) filter (where g.a_left))::int as "aLeft"
			from items i
			join samples sa on sa.id = i.sample_a_id join runs ra on ra.id = sa.run_id
			join samples sb on sb.id = i.sample_b_id join runs rb on rb.id = sb.run_id
			left join given g on g.item_id = i.id
			where i.study_id = ${studyId}::uuid
			group by i.id, ra.method_id, rb.method_id
			order by i.id`
	);
}

/**
 * Forgets the free slots (the items or the subjects per participant changed); the next
 * arrival plans new ones from what participants were actually given.
 */
export async function resetSlots(db: Db | Tx, studyId: string): Promise<void> {
	await db.execute(
		sql`delete from assignment_slots where study_id = ${studyId}::uuid and participant_id is null`
	);
}
