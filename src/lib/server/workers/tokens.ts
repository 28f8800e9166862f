import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db';
import { users, workerTokens, type WorkerToken } from '../db/schema';
import { generateToken, hashToken } from '../auth/tokens';

/** Worker tokens carry a prefix so that a leaked one is recognisable in logs and scanners. */
export const TOKEN_PREFIX = 'sidw_';

export const workerTokenInput = z.object({
	name: z
		.string()
		.trim()
		.min(1, 'Name the worker token, e.g. "cluster-a".')
		.max(80, 'Keep the name under 80 characters.')
});

/** Creates a token; the plain value is returned once and never stored. */
export async function createWorkerToken(
	db: Db,
	name: string,
	createdBy: string | null
): Promise<{ token: string; row: WorkerToken }> {
	const token = TOKEN_PREFIX + generateToken();
	const [row] = await db
		.insert(workerTokens)
		.values({ name, tokenHash: hashToken(token), createdBy })
		.returning();
	return { token, row };
}

/** Revoking is idempotent: the first revocation time is kept. */
export async function revokeWorkerToken(db: Db, id: string): Promise<boolean> {
	const rows = await db
		.update(workerTokens)
		.set({ revokedAt: sql`coalesce(${workerTokens.revokedAt}, now())` })
		.where(eq(workerTokens.id, id))
		.returning({ id: workerTokens.id });
	return rows.length === 1;
}

export async function listWorkerTokens(db: Db) {
	return db
		.select({
			id: workerTokens.id,
			name: workerTokens.name,
			createdAt: workerTokens.createdAt,
			revokedAt: workerTokens.revokedAt,
			lastSeenAt: workerTokens.lastSeenAt,
			lastWorkerName: workerTokens.lastWorkerName,
			createdBy: users.displayName
		})
		.from(workerTokens)
		.leftJoin(users, eq(users.id, workerTokens.createdBy))
		.orderBy(desc(workerTokens.createdAt));
}

/** The live (not revoked) token behind an `Authorization: Bearer ...` header, or null. */
export async function authenticateWorker(
	db: Db,
	header: string | null
): Promise<WorkerToken | null> {
	const m = header?.match(/^Bearer\s+(\S{1,200})\s*$/i);
	if (!m) return null;
	const [row] = await db
		.select()
		.from(workerTokens)
		.where(and(eq(workerTokens.tokenHash, hashToken(m[1])), isNull(workerTokens.revokedAt)));
	return row ?? null;
}

/** Last-seen is informative only; it is written at most every 10 s per token to spare the table. */
export async function touchWorkerToken(db: Db, id: string, workerName?: string): Promise<void> {
	await db
		.update(workerTokens)
		.set({
			lastSeenAt: sql`now()`,
			...(workerName ? { lastWorkerName: workerName } : {})
		})
		.where(
			and(
				eq(workerTokens.id, id),
				sql`(${workerTokens.lastSeenAt} is null or ${workerTokens.lastSeenAt} < now() - interval '10 seconds'${workerName ? sql` or ${workerTokens.lastWorkerName} is distinct from ${workerName}` : sql``})`
			)
		);
}
