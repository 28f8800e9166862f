import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inArray, sql } from 'drizzle-orm';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import type { Database } from '../db';
import { loginThrottle, sessions } from '../db/schema';
import { createUser } from './users';
import { createSession, validateSessionToken } from './session';
import { hashToken } from './tokens';
import { sweepAuthTables } from './housekeeping';

const HOUR = 60 * 60 * 1000;
const ago = (ms: number) => new Date(Date.now() - ms);

describe.each(DB_KINDS)('auth housekeeping on %s', (kind) => {
	let d: Database;
	beforeAll(async () => {
		d = await freshDatabase(kind);
	});
	afterAll(async () => d.close());

	it('deletes expired sessions and stale counters, and keeps what is still in force', async () => {
		const u = await createUser(d.db, {
			email: `h-${kind}@example.org`,
			displayName: 'H',
			role: 'annotator',
			password: 'correct horse battery'
		});
		const live = await createSession(d.db, u.id);
		const idle = await createSession(d.db, u.id);
		const old = await createSession(d.db, u.id);
		await d.db
			.update(sessions)
			.set({ expiresAt: ago(HOUR) })
			.where(sql`${sessions.id} = ${hashToken(idle.token)}`);
		// Past the absolute end (SESSION_DAYS from creation) though its idle window is open.
		await d.db
			.update(sessions)
			.set({ createdAt: ago(31 * 24 * HOUR) })
			.where(sql`${sessions.id} = ${hashToken(old.token)}`);

		await d.db.insert(loginThrottle).values([
			{ key: 'h:stale', failures: 3, updatedAt: ago(25 * HOUR) },
			{ key: 'h:recent', failures: 3, updatedAt: ago(HOUR) },
			// An old counter whose lock still holds stays until the lock ends.
			{
				key: 'h:locked',
				failures: 30,
				updatedAt: ago(25 * HOUR),
				lockedUntil: new Date(Date.now() + HOUR)
			},
			{ key: 'h:unlocked', failures: 30, updatedAt: ago(25 * HOUR), lockedUntil: ago(HOUR) }
		]);

		expect(await sweepAuthTables(d.db)).toEqual({ sessions: 2, counters: 2 });
		const left = await d.db
			.select({ id: sessions.id })
			.from(sessions)
			.where(
				inArray(
					sessions.id,
					[live, idle, old].map((s) => hashToken(s.token))
				)
			);
		expect(left.map((s) => s.id)).toEqual([hashToken(live.token)]);
		expect((await validateSessionToken(d.db, live.token))?.user.id).toBe(u.id);
		const keys = await d.db
			.select({ key: loginThrottle.key })
			.from(loginThrottle)
			.where(sql`${loginThrottle.key} like 'h:%'`)
			.orderBy(loginThrottle.key);
		expect(keys.map((k) => k.key)).toEqual(['h:locked', 'h:recent']);
		// A second sweep finds nothing more.
		expect(await sweepAuthTables(d.db)).toEqual({ sessions: 0, counters: 0 });
	});
});
