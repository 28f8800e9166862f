import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import type { Database } from '../db';
import { knownDevices } from '../db/schema';
import { rememberAddress } from './devices';
import { authenticate, createUser } from './users';
import { generateToken, hashToken } from './tokens';

// Finding 5 of issue 14: after 5 failures the account was locked for everyone, so an
// attacker could keep a researcher out of their own account during a study.
describe.each(DB_KINDS)('login throttling and known devices on %s', (kind) => {
	let d: Database;
	let userId: string;
	const device = generateToken();
	beforeAll(async () => {
		d = await freshDatabase(kind);
		userId = (
			await createUser(d.db, {
				email: 'researcher@example.org',
				displayName: 'R',
				role: 'admin',
				password: 'the right password 1'
			})
		).id;
		// The researcher signed in from this browser before.
		await d.db.insert(knownDevices).values({ tokenHash: hashToken(device), userId });
	});
	afterAll(() => d?.close());

	it('locks strangers out after guesses, but not the right password from a known device', async () => {
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		try {
			for (let i = 0; i < 8; i++) {
				await authenticate(d.db, 'researcher@example.org', `guess ${i}`, '198.51.100.66');
			}
			// The account is locked for a browser it does not know, even with the right password...
			const stranger = await authenticate(
				d.db,
				'researcher@example.org',
				'the right password 1',
				'203.0.113.5'
			);
			expect(stranger).toMatchObject({ ok: false, reason: 'throttled' });
			// ...but the researcher's own browser gets in, from any address.
			const own = await authenticate(
				d.db,
				'researcher@example.org',
				'the right password 1',
				'198.51.100.66',
				device
			);
			expect(own.ok).toBe(true);
			// A known device has its own counter: guessing from it is throttled too.
			const outcomes = [];
			for (let i = 0; i < 8; i++) {
				const r = await authenticate(d.db, 'researcher@example.org', `x ${i}`, '192.0.2.1', device);
				outcomes.push(r.ok ? 'ok' : r.reason);
			}
			expect(outcomes).toContain('throttled');
			// A device token of another account does not help.
			const other = await authenticate(
				d.db,
				'researcher@example.org',
				'the right password 1',
				'192.0.2.9',
				generateToken()
			);
			expect(other).toMatchObject({ ok: false, reason: 'throttled' });
		} finally {
			warn.mockRestore();
		}
	});

	it('does not hold the right password from an address that signed in before', async () => {
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		try {
			const other = await createUser(d.db, {
				email: 'office@example.org',
				displayName: 'O',
				role: 'annotator',
				password: 'the office password 2'
			});
			// The annotator signed in from the office before (the browser has since lost its cookie).
			await rememberAddress(d.db, other.id, '192.0.2.44');
			for (let i = 0; i < 8; i++) {
				await authenticate(d.db, 'office@example.org', `guess ${i}`, '198.51.100.77');
			}
			// Locked for a stranger's address, even with the right password...
			expect(
				await authenticate(d.db, 'office@example.org', 'the office password 2', '203.0.113.8')
			).toMatchObject({ ok: false, reason: 'throttled' });
			// ...but not from the office, without any device cookie.
			const office = await authenticate(
				d.db,
				'office@example.org',
				'the office password 2',
				'192.0.2.44'
			);
			expect(office.ok).toBe(true);
			// The known address has its own counter: guessing from it is throttled too.
			const outcomes = [];
			for (let i = 0; i < 8; i++) {
				const r = await authenticate(d.db, 'office@example.org', `y ${i}`, '192.0.2.44');
				outcomes.push(r.ok ? 'ok' : r.reason);
			}
			expect(outcomes).toContain('throttled');
			// An address known for another account does not help with this one.
			await rememberAddress(d.db, userId, '192.0.2.99');
			expect(
				await authenticate(d.db, 'office@example.org', 'the office password 2', '192.0.2.99')
			).toMatchObject({ ok: false, reason: 'throttled' });
		} finally {
			warn.mockRestore();
		}
	});
});
