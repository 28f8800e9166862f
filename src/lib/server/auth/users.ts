import { and, asc, eq, ne } from 'drizzle-orm';
import type { Db } from '../db';
import { sessions, users, type Role, type User } from '../db/schema';
import { recordAudit } from '../audit/trail';
import { invalidateUserSessions } from './session';
import { securityEvent } from '../audit/security-log';
import { dummyPasswordHash, hashPassword, passwordProblem, verifyPassword } from './password';
import { refuse } from '../http/refusal';
import { isKnownAddress, isKnownDevice } from './devices';
import {
	accountKey,
	deviceKey,
	addressKey,
	knownAddressKey,
	ADDRESS_FREE_FAILURES,
	clearFailures,
	lockRemaining,
	recordFailure
} from './throttle';

export function normalizeEmail(email: string): string {
	return email.trim().toLowerCase();
}

export async function createUser(
	db: Db,
	input: { email: string; displayName: string; role: Role; password: string }
): Promise<User> {
	const weak = passwordProblem(input.password);
	if (weak) refuse(400, weak, { password: weak });
	const [user] = await db
		.insert(users)
		.values({
			email: normalizeEmail(input.email),
			displayName: input.displayName,
			role: input.role,
			passwordHash: await hashPassword(input.password)
		})
		.returning();
	return user;
}

/** Creates the user, or sets the password and role of the existing one (CLI and env bootstrap). */
export async function upsertUser(
	db: Db,
	input: { email: string; displayName: string; role: Role; password: string }
): Promise<User> {
	const [existing] = await db
		.select()
		.from(users)
		.where(eq(users.email, normalizeEmail(input.email)));
	if (!existing) return createUser(db, input);
	const weak = passwordProblem(input.password);
	if (weak) refuse(400, weak, { password: weak });
	const passwordHash = await hashPassword(input.password);
	// A reset password ends every session: whoever knew the old one is signed out too.
	return db.transaction(async (tx) => {
		const [user] = await tx
			.update(users)
			.set({ role: input.role, passwordHash, disabled: false })
			.where(eq(users.id, existing.id))
			.returning();
		await tx.delete(sessions).where(eq(sessions.userId, existing.id));
		await recordAudit(tx, {
			actorId: null,
			action: 'password.reset',
			target: `user:${user.email}`,
			detail: { role: input.role, sessionsEnded: true }
		});
		return user;
	});
}

export type LoginResult =
	| { ok: true; user: User }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'throttled'; retryAfterSeconds: number };

export async function authenticate(
	db: Db,
	email: string,
	password: string,
	address: string,
	device?: string
): Promise<LoginResult> {
	const [user] = await db
		.select()
		.from(users)
		.where(eq(users.email, normalizeEmail(email)));
	// A browser or an address that signed in to this account before is not held by the
	// account-wide lock that strangers' guesses set; it has a counter of its own instead.
	const knownDevice = !!user && (await isKnownDevice(db, user.id, device));
	const knownAddress = !knownDevice && !!user && (await isKnownAddress(db, user.id, address));
	const known = knownDevice || knownAddress;
	const aKey = knownDevice
		? deviceKey(device!)
		: knownAddress
			? knownAddressKey(user!.id, address)
			: accountKey(email);
	const ipKey = addressKey(address);
	const wait = Math.max(await lockRemaining(db, aKey), known ? 0 : await lockRemaining(db, ipKey));
	if (wait > 0) {
		securityEvent('login_throttled', { account: normalizeEmail(email), address });
		return { ok: false, reason: 'throttled', retryAfterSeconds: Math.ceil(wait / 1000) };
	}

	const valid =
		user && user.passwordHash && !user.disabled
			? await verifyPassword(user.passwordHash, password)
			: (await verifyPassword(await dummyPasswordHash(), password)) && false;
	if (!valid || !user) {
		await recordFailure(db, aKey);
		if (aKey !== accountKey(email)) await recordFailure(db, accountKey(email));
		await recordFailure(db, ipKey, ADDRESS_FREE_FAILURES);
		securityEvent('login_failed', { account: normalizeEmail(email), address });
		return { ok: false, reason: 'invalid' };
	}
	await clearFailures(db, aKey);
	return { ok: true, user };
}

/** Disabling ends every session of the user in the same transaction. */
export async function setUserDisabled(db: Db, userId: string, disabled: boolean): Promise<void> {
	await db.transaction(async (tx) => {
		await tx.update(users).set({ disabled }).where(eq(users.id, userId));
		if (disabled) await invalidateUserSessions(tx as unknown as Db, userId);
	});
}

export function listUsers(db: Db) {
	return db
		.select({
			id: users.id,
			email: users.email,
			displayName: users.displayName,
			role: users.role,
			disabled: users.disabled,
			createdAt: users.createdAt
		})
		.from(users)
		.orderBy(asc(users.createdAt));
}

/**
 * A signed-in person changes their password: the current one is checked first, and every
 * other session of theirs ends (a session stolen with the old password stops working).
 */
export async function changePassword(
	db: Db,
	userId: string,
	keepSessionId: string | null,
	current: string,
	next: string
): Promise<void> {
	const [user] = await db.select().from(users).where(eq(users.id, userId));
	if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, current))) {
		refuse(400, 'Your current password is not right.', { current: 'Not right' });
	}
	const weak = passwordProblem(next);
	if (weak) refuse(400, weak, { next: weak });
	if (next === current)
		refuse(400, 'Choose a password different from the current one.', { next: 'Unchanged' });
	const passwordHash = await hashPassword(next);
	await db.transaction(async (tx) => {
		await tx.update(users).set({ passwordHash }).where(eq(users.id, userId));
		await tx
			.delete(sessions)
			.where(
				and(eq(sessions.userId, userId), keepSessionId ? ne(sessions.id, keepSessionId) : undefined)
			);
		await recordAudit(tx, {
			actorId: userId,
			action: 'password.change',
			target: `user:${user.email}`
		});
	});
}
