import { and, eq, isNotNull, or, isNull, type SQL } from 'drizzle-orm';
import type { Db } from '../db';
import { participants } from '../db/schema';

export interface ExclusionRules {
	/** Drop participants whose median time per question was under the study's threshold. */
	excludeSpeeders: boolean;
	/** Drop participants who failed the attention check. */
	excludeAttentionFailures: boolean;
}

/**
 * The participants whose answers count in results: completed, not previews, and not excluded
 * by the chosen quality rules. Results and exports call this instead of filtering themselves.
 */
export async function includedParticipantIds(
	db: Db,
	studyId: string,
	rules: ExclusionRules
): Promise<string[]> {
	const where: SQL[] = [
		eq(participants.studyId, studyId),
		eq(participants.preview, false),
		isNotNull(participants.completedAt)
	];
	if (rules.excludeSpeeders) {
		where.push(or(isNull(participants.speeder), eq(participants.speeder, false))!);
	}
	if (rules.excludeAttentionFailures) {
		where.push(or(isNull(participants.attentionFailed), eq(participants.attentionFailed, false))!);
	}
	const rows = await db
		.select({ id: participants.id })
		.from(participants)
		.where(and(...where));
	return rows.map((r) => r.id);
}
