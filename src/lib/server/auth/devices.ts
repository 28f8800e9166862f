import { and, eq, sql } from 'drizzle-orm';
import type { Cookies } from '@sveltejs/kit';
import type { Db } from '../db';
import { knownAddresses, knownDevices } from '../db/schema';
import { generateToken, hashToken } from './tokens';

/**
 * Known devices and addresses for login throttling (OWASP: lock the attacker, not the
 * account). After a successful sign-in the browser keeps a random token and the address is
 * remembered; a later sign-in presenting that token, or coming from that address, for the
 * same account skips the account-wide lock that strangers' wrong guesses set, and is limited
 * by its own counter instead.
 */
const COOKIE = 'sid_device';
const YEAR = 60 * 60 * 24 * 365;

export function deviceToken(cookies: Cookies): string | undefined {
	return cookies.get(COOKIE);
}

/** Whether this token belongs to a browser that signed in to this account before. */
export async function isKnownDevice(
	db: Db,
	userId: string,
	token: string | undefined
): Promise<boolean> {
	if (!token || token.length > 100) return false;
	const [row] = await db
		.update(knownDevices)
		.set({ lastSeenAt: sql`now()` })
		.where(and(eq(knownDevices.tokenHash, hashToken(token)), eq(knownDevices.userId, userId)))
		.returning({ userId: knownDevices.userId });
	return !!row;
}

/** Remembers this browser for the account (keeping its token when it has one). */
export async function rememberDevice(
	db: Db,
	cookies: Cookies,
	url: URL,
	userId: string
): Promise<void> {
	const token = deviceToken(cookies) ?? generateToken();
	await db
		.insert(knownDevices)
		.values({ tokenHash: hashToken(token), userId })
		.onConflictDoUpdate({
			target: knownDevices.tokenHash,
			set: { userId, lastSeenAt: sql`now()` }
		});
	cookies.set(COOKIE, token, {
		path: '/login',
		httpOnly: true,
		sameSite: 'strict',
		secure: url.protocol === 'https:',
		maxAge: YEAR
	});
}

/** Whether this account signed in successfully from this address before. */
export async function isKnownAddress(db: Db, userId: string, address: string): Promise<boolean> {
	if (!address) return false;
	const [row] = await db
		.update(knownAddresses)
		.set({ lastSeenAt: sql`now()` })
		.where(and(eq(knownAddresses.userId, userId), eq(knownAddresses.address, address)))
		.returning({ userId: knownAddresses.userId });
	return !!row;
}

/** Remembers the address of a successful sign-in for the account. */
export async function rememberAddress(db: Db, userId: string, address: string): Promise<void> {
	if (!address) return;
	await db
		.insert(knownAddresses)
		.values({ userId, address })
		.onConflictDoUpdate({
			target: [knownAddresses.userId, knownAddresses.address],
			set: { lastSeenAt: sql`now()` }
		});
}
