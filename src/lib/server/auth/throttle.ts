import { eq, sql } from 'drizzle-orm';
import { hotRows, type Db } from '../db';
import { loginThrottle } from '../db/schema';
import { hashToken } from './tokens';

// Free tries before locking, how long counters are remembered, and the longest lock.
const FREE_FAILURES = 4;
const FORGET_AFTER_MS = 15 * 60 * 1000;
const MAX_LOCK_MS = 15 * 60 * 1000;

export function accountKey(email: string): string {
	return `account:${email.trim().toLowerCase()}`;
}
export function deviceKey(token: string): string {
	return `device:${hashToken(token)}`;
}
/** The counter of one account at one address it signed in from before. */
export function knownAddressKey(userId: string, address: string): string {
	return `known-address:${userId}:${address}`;
}
export function addressKey(address: string): string {
	return `address:${address}`;
}

/** Milliseconds until the key may try again, 0 when it may try now. */
export async function lockRemaining(db: Db, key: string): Promise<number> {
	const [row] = await db.select().from(loginThrottle).where(eq(loginThrottle.key, key));
	if (!row?.lockedUntil) return 0;
	return Math.max(0, row.lockedUntil.getTime() - Date.now());
}

/**
 * Count a failure; after FREE_FAILURES the key is locked for 2^(n - FREE_FAILURES) seconds,
 * doubling up to MAX_LOCK_MS. One atomic upsert, so parallel attempts cannot slip through.
 */
export async function recordFailure(
	db: Db,
	key: string,
	freeFailures = FREE_FAILURES
): Promise<void> {
	await db
		.insert(loginThrottle)
		.values({ key, failures: 1, updatedAt: new Date() })
		.onConflictDoUpdate({
			target: loginThrottle.key,
			set: {
				failures: sql`case when ${loginThrottle.updatedAt} < now() - ${FORGET_AFTER_MS} * interval '1 millisecond' then 1 else ${loginThrottle.failures} + 1 end`,
				updatedAt: sql`now()`
			}
		});
	await db
		.update(loginThrottle)
		.set({
			lockedUntil: sql`now() + least(${MAX_LOCK_MS}, power(2, ${loginThrottle.failures} - ${freeFailures}) * 1000) * interval '1 millisecond'`
		})
		.where(sql`${loginThrottle.key} = ${key} and ${loginThrottle.failures} > ${freeFailures}`);
}

export async function clearFailures(db: Db, key: string): Promise<void> {
	await db.delete(loginThrottle).where(eq(loginThrottle.key, key));
}

/**
 * Counters untouched for a day whose lock is over: every window in use is far shorter (a
 * minute for arrivals, FORGET_AFTER_MS for login failures). Every address that ever arrived
 * at a study or failed a login has a counter; without this the table only grows.
 */
export async function forgetStaleCounters(db: Db): Promise<number> {
	const gone = await db
		.delete(loginThrottle)
		.where(
			sql`${loginThrottle.updatedAt} < now() - interval '1 day'
				and (${loginThrottle.lockedUntil} is null or ${loginThrottle.lockedUntil} < now())`
		)
		.returning({ key: loginThrottle.key });
	return gone.length;
}

/**
 * Counts one attempt for `key` in a fixed window of `windowMs` (the same table as login
 * failures: one mechanism, one atomic upsert). Milliseconds until the window ends when this
 * attempt is over `limit`, 0 when it may go ahead.
 */
export async function rateLimited(
	db: Db,
	key: string,
	limit: number,
	windowMs: number
): Promise<number> {
	// Raw and prepared (hotRows): every consent of a recruitment burst runs it.
	const expired = sql`t.updated_at < now() - ${windowMs} * interval '1 millisecond'`;
	const [row] = await hotRows<{ count: number; since: string }>(
		db,
		sql`insert into login_throttle as t (key, failures, updated_at) values (${key}, 1, now())
			on conflict (key) do update set
				failures = case when ${expired} then 1 else t.failures + 1 end,
				updated_at = case when ${expired} then now() else t.updated_at end
			returning t.failures as count, t.updated_at as since`
	);
	if (row.count <= limit) return 0;
	return Math.max(1, new Date(row.since).getTime() + windowMs - Date.now());
}

/** Addresses are shared by many people (offices, NAT): they get a larger allowance. */
export const ADDRESS_FREE_FAILURES = 50;
