import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../db';
import { assignments } from '../db/schema';

interface ItemStat {
	id: string;
	subject_id: string;
	sample_a_id: string;
	sample_b_id: string;
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

/** Smallest key first; ties in random order (shuffle, then a stable sort). */
function leastFirst<T>(xs: T[], key: (x: T) => number): T[] {
	return shuffle([...xs]).sort((a, b) => key(a) - key(b));
}

/**
 * Gives a participant `k` subjects (one item each) and fixes the order and the left/right
 * placement. Must run inside a transaction that holds the study's row lock (see
 * `lockStudy`), so simultaneous arrivals see each other's assignments: the least-exposed
 * subjects go first (random tie-break), and each item puts the sample that has been on the
 * left less often on the left, so every method's placement stays balanced.
 * Preview participants are assigned the same way but not counted.
 */
export async function assignItems(
	tx: Tx,
	studyId: string,
	participantId: string,
	k: number
): Promise<number> {
	const stats = await queryRows<ItemStat>(
		tx,
		sql`select i.id, i.subject_id, i.sample_a_id, i.sample_b_id,
			count(p.id)::int as exposures,
			(count(p.id) filter (where a.left_sample_id = i.sample_a_id))::int as a_left
		from items i
		left join assignments a on a.item_id = i.id
		left join participants p on p.id = a.participant_id and not p.preview
		where i.study_id = ${studyId}
		group by i.id`
	);
	if (stats.length === 0) return 0;
	const bySubject = new Map<string, ItemStat[]>();
	for (const s of stats) {
		const list = bySubject.get(s.subject_id) ?? [];
		list.push(s);
		bySubject.set(s.subject_id, list);
	}
	const subjects = [...bySubject.entries()].map(([id, list]) => ({
		id,
		list,
		exposures: list.reduce((n, s) => n + s.exposures, 0)
	}));
	const chosen = leastFirst(subjects, (s) => s.exposures).slice(0, k);
	const rows = shuffle(chosen).map((s, position) => {
		const item = leastFirst(s.list, (i) => i.exposures)[0];
		const aRight = item.exposures - item.a_left;
		const aLeft = item.a_left === aRight ? Math.random() < 0.5 : item.a_left < aRight;
		return {
			participantId,
			itemId: item.id,
			position,
			leftSampleId: aLeft ? item.sample_a_id : item.sample_b_id,
			rightSampleId: aLeft ? item.sample_b_id : item.sample_a_id
		};
	});
	await tx.insert(assignments).values(rows);
	return rows.length;
}

/** Serializes arrivals per study: the study row is the lock. */
export async function lockStudy(tx: Tx, studyId: string): Promise<void> {
	await tx.execute(sql`select id from studies where id = ${studyId} for update`);
}
