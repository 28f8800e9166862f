import { describe, expect, it } from 'vitest';
import { planSlots } from './slots';

/** 6 subjects × 2 prompts × 3 pairs of methods, nobody assigned yet. */
const study = () =>
	Array.from({ length: 6 }, (_, s) =>
		Array.from({ length: 2 }, (_, p) =>
			['m1:m2', 'm1:m3', 'm2:m3'].map((pair) => ({
				id: `${s}/${p}/${pair}`,
				subject: `s${s}`,
				pair,
				exposures: 0,
				aLeft: 0
			}))
		)
	).flat(2);

const spread = (xs: number[]) => Math.max(...xs) - Math.min(...xs);

describe('planSlots', () => {
	it('keeps every prefix of the schedule balanced, as arrivals claim it in order', () => {
		const slots = planSlots(study(), 4, 0, 90);
		expect(slots.map((s) => s.n)).toEqual(Array.from({ length: 90 }, (_, i) => i));
		const seen = new Map<string, number>();
		const aLeft = new Map<string, number>();
		const add = (m: Map<string, number>, k: string, d: number) => m.set(k, (m.get(k) ?? 0) + d);
		for (const slot of slots) {
			expect(slot.itemIds).toHaveLength(4);
			expect(new Set(slot.itemIds.map((id) => id.split('/')[0])).size).toBe(4);
			slot.itemIds.forEach((id, j) => {
				add(seen, id, 1);
				add(aLeft, id, slot.aOnLeft[j] ? 1 : 0);
			});
			const ids = study().map((i) => i.id);
			const per = (key: (id: string) => string) => {
				const m = new Map<string, number>();
				for (const id of ids) add(m, key(id), seen.get(id) ?? 0);
				return m;
			};
			// Subjects within 1 of each other after every slot.
			expect(spread([...per((id) => id.split('/')[0]).values()])).toBeLessThanOrEqual(1);
			// Within a subject, its pairs of methods within 1.
			const bySubjectPair = per((id) => id.replace(/\/\d+\//, '/'));
			for (let s = 0; s < 6; s++) {
				const counts = ['m1:m2', 'm1:m3', 'm2:m3'].map((p) => bySubjectPair.get(`${s}/${p}`)!);
				expect(spread(counts)).toBeLessThanOrEqual(1);
			}
			// Sample A on the left half the time, per item, within 1 after every slot.
			for (const id of ids) {
				expect(Math.abs(2 * (aLeft.get(id) ?? 0) - (seen.get(id) ?? 0))).toBeLessThanOrEqual(1);
			}
		}
		// Per pair of methods across the study only as a tendency (an item's own balance comes
		// first); exact here because every item was given an even number of times (10).
		for (const pair of ['m1:m2', 'm1:m3', 'm2:m3']) {
			const mine = [...seen.keys()].filter((id) => id.endsWith(pair));
			expect(mine.every((id) => seen.get(id) === 10)).toBe(true);
			expect(mine.reduce((n, id) => n + 2 * aLeft.get(id)! - seen.get(id)!, 0)).toBe(0);
		}
	});

	it('continues from what was given before, not from zero', () => {
		const items = study();
		// Subject 0 was given twice already.
		for (const i of items.filter((i) => i.subject === 's0').slice(0, 2)) i.exposures = 1;
		const [first] = planSlots(items, 4, 7, 1);
		expect(first.n).toBe(7);
		expect(first.itemIds.some((id) => id.startsWith('0/'))).toBe(false);
	});
});
