import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import type { Database } from '../db';
import { sessions } from '../db/schema';
import { changePassword, createUser, upsertUser } from '../auth/users';
import { createSession } from '../auth/session';
import { auditCsv, listAudit, recordAudit } from './trail';

async function text(lines: AsyncIterable<string>): Promise<string> {
	let out = '';
	for await (const l of lines) out += l;
	return out;
}

describe.each(DB_KINDS)('audit trail on %s', (kind) => {
	let d: Database;
	beforeAll(async () => {
		d = await freshDatabase(kind);
	});
	afterAll(() => d?.close());

	it('records who did what, newest first, and exports it as CSV without formulas', async () => {
		const admin = await createUser(d.db, {
			email: 'boss@example.org',
			displayName: 'Boss',
			role: 'admin',
			password: 'a long enough password'
		});
		await recordAudit(d.db, { actorId: admin.id, action: 'login', address: '203.0.113.9' });
		await recordAudit(d.db, {
			actorId: admin.id,
			action: 'study.state',
			target: '=HYPERLINK("x")',
			detail: { from: 'draft', to: 'open' }
		});
		const events = await listAudit(d.db);
		expect(events.map((e) => [e.actorEmail, e.action])).toEqual([
			['boss@example.org', 'study.state'],
			['boss@example.org', 'login']
		]);
		const csv = await text(auditCsv(d.db));
		expect(csv.split('\r\n')[0]).toBe('at,actor,action,target,detail,address');
		expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
		expect(csv).toContain('203.0.113.9');
	});

	// Finding 5 of issue 14: a CLI password reset kept old sessions alive.
	it('ends every session when the CLI resets a password, and records it', async () => {
		const u = await createUser(d.db, {
			email: 'reset@example.org',
			displayName: 'R',
			role: 'annotator',
			password: 'the old long password'
		});
		await createSession(d.db, u.id);
		await createSession(d.db, u.id);
		await upsertUser(d.db, {
			email: 'reset@example.org',
			displayName: 'R',
			role: 'admin',
			password: 'the new long password'
		});
		const [{ n }] = await d.db
			.select({ n: count() })
			.from(sessions)
			.where(eq(sessions.userId, u.id));
		expect(n).toBe(0);
		const [latest] = await listAudit(d.db, { limit: 1 });
		expect(latest).toMatchObject({ action: 'password.reset', target: 'user:reset@example.org' });
	});
});

describe.each(DB_KINDS)('changing a password on %s', (kind) => {
	let d: Database;
	beforeAll(async () => {
		d = await freshDatabase(kind);
	});
	afterAll(() => d?.close());

	// Finding 5 of issue 14: no password change, and `aaaaaaaaaaaa` was accepted.
	it('checks the current password and the policy, keeps this session and ends the others', async () => {
		const u = await createUser(d.db, {
			email: 'me@example.org',
			displayName: 'Me',
			role: 'annotator',
			password: 'my first long password'
		});
		const here = await createSession(d.db, u.id);
		await createSession(d.db, u.id);
		const hereId = (await d.db.select().from(sessions).where(eq(sessions.userId, u.id)))[0].id;
		await expect(
			changePassword(d.db, u.id, hereId, 'not my password', 'a new long password')
		).rejects.toMatchObject({ status: 400, fields: { current: 'Not right' } });
		for (const weak of ['short', 'aaaaaaaaaaaa', '121212121212', 'Qwerty123456']) {
			await expect(
				changePassword(d.db, u.id, hereId, 'my first long password', weak)
			).rejects.toMatchObject({ status: 400, fields: { next: expect.any(String) } });
		}
		await changePassword(d.db, u.id, hereId, 'my first long password', 'a new long password');
		const left = await d.db.select().from(sessions).where(eq(sessions.userId, u.id));
		expect(left.map((s) => s.id)).toEqual([hereId]);
		expect(here.token).toBeTruthy();
		const [latest] = await listAudit(d.db, { limit: 1 });
		expect(latest.action).toBe('password.change');
		await expect(
			createUser(d.db, {
				email: 'x@example.org',
				displayName: 'X',
				role: 'annotator',
				password: 'aaaaaaaaaaaa'
			})
		).rejects.toMatchObject({ status: 400 });
		// admin:create (upsertUser) and the env bootstrap / invite join (createUser) share the
		// one policy, common-password list included.
		await expect(
			upsertUser(d.db, {
				email: 'me@example.org',
				displayName: 'Me',
				role: 'admin',
				password: 'LeaveMeAlone'
			})
		).rejects.toMatchObject({ status: 400, fields: { password: /commonly used/ } });
		await expect(
			createUser(d.db, {
				email: 'y@example.org',
				displayName: 'Y',
				role: 'admin',
				password: '1qaz2wsx3edc'
			})
		).rejects.toMatchObject({ status: 400, fields: { password: /commonly used/ } });
	});
});
