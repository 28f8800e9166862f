import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import type { Database } from '../db';
import { authenticate, createUser } from '../auth/users';

describe.each(DB_KINDS)('1000 wrong passwords on %s', (kind) => {
	let d: Database;
	beforeAll(async () => {
		d = await freshDatabase(kind);
		await createUser(d.db, {
			email: 'target@example.org',
			displayName: 'Target',
			role: 'admin',
			password: 'the right password 1'
		});
	});
	afterAll(async () => d.close());

	it('are all refused, mostly without even checking the hash, and logged without the password', async () => {
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		const started = performance.now();
		const outcomes = { invalid: 0, throttled: 0, ok: 0 };
		for (let i = 0; i < 1000; i++) {
			const r = await authenticate(d.db, 'target@example.org', `guess-${i}-secret`, '198.51.100.7');
			if (r.ok) outcomes.ok++;
			else outcomes[r.reason]++;
		}
		const seconds = (performance.now() - started) / 1000;
		const lines = warn.mock.calls.map((c) => String(c[0]));
		warn.mockRestore();

		expect(outcomes.ok).toBe(0);
		// Only the free tries and the ones after each lock ran out reach argon2.
		expect(outcomes.throttled).toBeGreaterThan(950);
		expect(seconds).toBeLessThan(120);
		expect(lines).toHaveLength(1000);
		const events = lines.map((l) => JSON.parse(l));
		expect(new Set(events.map((e) => e.event))).toEqual(
			new Set(['login_failed', 'login_throttled'])
		);
		expect(events[0]).toMatchObject({ account: 'target@example.org', address: '198.51.100.7' });
		expect(lines.join('\n')).not.toMatch(/guess-\d+-secret/);
		// The right password is still refused while locked: the lock is not a per-guess oracle.
		const right = await authenticate(
			d.db,
			'target@example.org',
			'the right password 1',
			'203.0.113.1'
		);
		expect(right).toMatchObject({ ok: false, reason: 'throttled' });
	});
});
