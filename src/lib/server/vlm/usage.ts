import { count, sql, sum } from 'drizzle-orm';
import type { Db } from '../db';
import { vlmCalls } from '../db/schema';

/** The running total of VLM calls and tokens, failed calls included. */
export async function vlmUsageTotals(db: Db) {
	const [row] = await db
		.select({
			calls: count(),
			failed: sql<number>`count(*) filter (where not ${vlmCalls.ok})`.mapWith(Number),
			promptTokens: sum(vlmCalls.promptTokens).mapWith(Number),
			completionTokens: sum(vlmCalls.completionTokens).mapWith(Number),
			totalTokens: sum(vlmCalls.totalTokens).mapWith(Number)
		})
		.from(vlmCalls);
	return {
		calls: row.calls,
		failed: row.failed,
		promptTokens: row.promptTokens ?? 0,
		completionTokens: row.completionTokens ?? 0,
		totalTokens: row.totalTokens ?? 0
	};
}
