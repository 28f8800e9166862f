/**
 * Where a participant meets the attention checks: `count` distinct screens
 * drawn at random, but the same every time the survey loads, because the
 * draw is seeded by the participant's id. Which screens they were is recorded
 * by the answers themselves (question "attention" on that screen's
 * assignment, exported with its screen number).
 */
import { createHash } from 'node:crypto';
import { mulberry32 } from '../analysis/random';

export function attentionScreens(
	participantId: string,
	screens: number,
	count: number
): Set<number> {
	const seed = createHash('sha256').update(`attention:${participantId}`).digest().readUInt32LE(0);
	const rng = mulberry32(seed);
	const order = Array.from({ length: screens }, (_, i) => i);
	const k = Math.max(0, Math.min(count, screens));
	for (let i = 0; i < k; i++) {
		const j = i + Math.floor(rng() * (screens - i));
		[order[i], order[j]] = [order[j], order[i]];
	}
	return new Set(order.slice(0, k));
}
