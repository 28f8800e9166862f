import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import type { Database } from '../db';
import { invites, sessions, users } from '../db/schema';
import { createSession, validateSessionToken } from './session';
import { authenticate, createUser, setUserDisabled } from './users';
import { acceptInvite, createInvite } from './invites';
import { Refusal } from '../http/refusal';
import { hashToken } from './tokens';

describe.each(DB_KINDS)('accounts on %s', (kind) => {
	let d: Database;
	beforeAll(async () => {
		d = await freshDatabase(kind);
	});
	afterAll(async () => d.close());

	it('stores only the SHA-256 of session tokens', async () => {
		const u = await createUser(d.db, {
			email: `s-${kind}@example.org`,
			displayName: 'S',
			role: 'annotator',
			password: 'correct horse battery'
		});
		const { token } = await createSession(d.db, u.id);
		const rows = await d.db.select().from(sessions).where(eq(sessions.userId, u.id));
		expect(rows).toHaveLength(1);
		expect(rows[0].id).toBe(hashToken(token));
		expect(rows[0].id).not.toContain(token);
		expect(JSON.stringify(rows)).not.toContain(token);
		expect(token.length).toBeGreaterThanOrEqual(26); // 20 random bytes in base32 = 160 bits
		const valid = await validateSessionToken(d.db, token);
		expect(valid?.user.id).toBe(u.id);
		expect(await validateSessionToken(d.db, `${token}x`)).toBeNull();
	});

	it('stores passwords as argon2id', async () => {
		const [u] = await d.db
			.select()
			.from(users)
			.where(eq(users.email, `s-${kind}@example.org`));
		expect(u.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
	});

	it('ends every session of a user the moment they are disabled', async () => {
		const u = await createUser(d.db, {
			email: `d-${kind}@example.org`,
			displayName: 'D',
			role: 'annotator',
			password: 'correct horse battery'
		});
		const a = await createSession(d.db, u.id);
		const b = await createSession(d.db, u.id);
		await setUserDisabled(d.db, u.id, true);
		expect(await validateSessionToken(d.db, a.token)).toBeNull();
		expect(await validateSessionToken(d.db, b.token)).toBeNull();
		const login = await authenticate(
			d.db,
			`d-${kind}@example.org`,
			'correct horse battery',
			'10.0.0.9'
		);
		expect(login.ok).toBe(false);
	});

	it('throttles an account after repeated wrong passwords, even for the right one', async () => {
		const email = `t-${kind}@example.org`;
		await createUser(d.db, {
			email,
			displayName: 'T',
			role: 'annotator',
			password: 'correct horse battery'
		});
		const results = [];
		for (let i = 0; i < 20; i++)
			results.push(await authenticate(d.db, email, `wrong-${i}`, `10.1.0.${i}`));
		const throttled = results.filter((r) => !r.ok && r.reason === 'throttled');
		expect(throttled.length).toBeGreaterThanOrEqual(14);
		const right = await authenticate(d.db, email, 'correct horse battery', '10.2.0.1');
		expect(right).toMatchObject({ ok: false, reason: 'throttled' });
	});

	it('throttles an address that tries many accounts', async () => {
		const results = [];
		for (let i = 0; i < 60; i++) {
			results.push(await authenticate(d.db, `nobody${i}-${kind}@example.org`, 'x', '192.0.2.77'));
		}
		expect(results.at(-1)).toMatchObject({ ok: false, reason: 'throttled' });
	});

	it('accepts an invitation once, and never after it expired', async () => {
		const [admin] = await d.db.select().from(users).limit(1);
		const { token } = await createInvite(d.db, admin.id, `new-${kind}@example.org`);
		const u = await acceptInvite(d.db, token, 'New', 'a long enough password');
		expect(u.role).toBe('annotator');
		await expect(acceptInvite(d.db, token, 'Again', 'a long enough password')).rejects.toThrow(
			Refusal
		);

		const late = await createInvite(d.db, admin.id, `late-${kind}@example.org`);
		await d.db
			.update(invites)
			.set({ expiresAt: new Date(Date.now() - 60_000) })
			.where(eq(invites.email, `late-${kind}@example.org`));
		await expect(acceptInvite(d.db, late.token, 'Late', 'a long enough password')).rejects.toThrow(
			Refusal
		);
	});
});
