import { and, eq, sql } from 'drizzle-orm';
import type { Cookies } from '@sveltejs/kit';
import type { Db } from '../db';
import { sessions, users, type User } from '../db/schema';
import { config } from '../config';
import { generateToken, hashToken } from './tokens';

const DAY = 24 * 60 * 60 * 1000;

export type SessionUser = Pick<User, 'id' | 'email' | 'displayName' | 'role'>;
export interface ValidSession {
	id: string;
	expiresAt: Date;
	user: SessionUser;
}

export async function createSession(
	db: Db,
	userId: string
): Promise<{ token: string; expiresAt: Date }> {
	const token = generateToken();
	const expiresAt = new Date(Date.now() + config().SESSION_IDLE_DAYS * DAY);
	await db.insert(sessions).values({ id: hashToken(token), userId, expiresAt });
	return { token, expiresAt };
}

/**
 * A session lives at most SESSION_DAYS from its creation (absolute) and SESSION_IDLE_DAYS
 * from its last use (sliding); it is renewed once half of the idle window is spent.
 */
export async function validateSessionToken(db: Db, token: string): Promise<ValidSession | null> {
	const id = hashToken(token);
	const [row] = await db
		.select({
			id: sessions.id,
			createdAt: sessions.createdAt,
			expiresAt: sessions.expiresAt,
			user: { id: users.id, email: users.email, displayName: users.displayName, role: users.role },
			disabled: users.disabled
		})
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(eq(sessions.id, id));
	if (!row) return null;
	const now = Date.now();
	const cfg = config();
	const absoluteEnd = row.createdAt.getTime() + cfg.SESSION_DAYS * DAY;
	if (row.disabled || now >= row.expiresAt.getTime() || now >= absoluteEnd) {
		await db.delete(sessions).where(eq(sessions.id, id));
		return null;
	}
	let expiresAt = row.expiresAt;
	if (row.expiresAt.getTime() - now < (cfg.SESSION_IDLE_DAYS * DAY) / 2) {
		expiresAt = new Date(Math.min(now + cfg.SESSION_IDLE_DAYS * DAY, absoluteEnd));
		await db.update(sessions).set({ expiresAt }).where(eq(sessions.id, id));
	}
	return { id, expiresAt, user: row.user };
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
	await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Sessions past either end: validation deletes the ones that come back, this the rest. */
export async function deleteExpiredSessions(db: Db): Promise<number> {
	const gone = await db
		.delete(sessions)
		.where(
			sql`${sessions.expiresAt} < now() or ${sessions.createdAt} < now() - ${config().SESSION_DAYS} * interval '1 day'`
		)
		.returning({ id: sessions.id });
	return gone.length;
}

export async function invalidateUserSessions(db: Db, userId: string): Promise<void> {
	await db.delete(sessions).where(and(eq(sessions.userId, userId)));
}

/** `__Host-` cookies must be Secure; browsers refuse Secure cookies over plain http on localhost. */
export function sessionCookieName(url: URL): string {
	return isLocalhost(url) ? 'sid_session' : '__Host-sid_session';
}

function isLocalhost(url: URL): boolean {
	return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) && url.protocol === 'http:';
}

export function setSessionCookie(cookies: Cookies, url: URL, token: string, expiresAt: Date): void {
	cookies.set(sessionCookieName(url), token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: !isLocalhost(url),
		expires: expiresAt
	});
}

export function deleteSessionCookie(cookies: Cookies, url: URL): void {
	cookies.delete(sessionCookieName(url), { path: '/', secure: !isLocalhost(url) });
}
