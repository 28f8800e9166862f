import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import type { Database } from '../db';
import { jobs } from '../db/schema';
import {
	buryExhausted,
	cancel,
	claim,
	complete,
	enqueue,
	fail,
	getJob,
	heartbeat,
	retry
} from './queue';
import { JobRunner, PermanentJobError } from './runner';

describe.each(DB_KINDS)('durable jobs on %s', (kind) => {
	let d: Database;
	beforeAll(async () => {
		d = await freshDatabase(kind);
	});
	afterAll(async () => d.close());

	it('leases each job to exactly one of many simultaneous claimers', async () => {
		for (let i = 0; i < 10; i++) await enqueue(d.db, { kind: 'race', payload: { i } });
		const claims = await Promise.all(
			Array.from({ length: 25 }, (_, i) =>
				claim(d.db, { queue: 'app', kinds: ['race'], owner: `w${i}`, leaseSeconds: 30 })
			)
		);
		const got = claims.filter((c) => c !== null).map((c) => c!.id);
		expect(got).toHaveLength(10);
		expect(new Set(got).size).toBe(10);
	});

	it('returns the same job for the same dedupe key', async () => {
		const a = await enqueue(d.db, { kind: 'dedupe', payload: {}, dedupeKey: `k-${kind}` });
		const b = await enqueue(d.db, { kind: 'dedupe', payload: {}, dedupeKey: `k-${kind}` });
		expect(b.id).toBe(a.id);
	});

	it('puts a job whose lease expired back in play, and refuses the old holder', async () => {
		const j = await enqueue(d.db, { kind: 'expire', payload: {} });
		const first = await claim(d.db, {
			queue: 'app',
			kinds: ['expire'],
			owner: 'a',
			leaseSeconds: 1
		});
		expect(first?.id).toBe(j.id);
		expect(
			await claim(d.db, { queue: 'app', kinds: ['expire'], owner: 'b', leaseSeconds: 30 })
		).toBeNull();
		await new Promise((r) => setTimeout(r, 1300));
		const second = await claim(d.db, {
			queue: 'app',
			kinds: ['expire'],
			owner: 'b',
			leaseSeconds: 30
		});
		expect(second?.id).toBe(j.id);
		expect(second?.attempts).toBe(2);
		expect(await heartbeat(d.db, j.id, first!.leaseId!, 30)).toBeNull();
		expect(await complete(d.db, j.id, first!.leaseId!)).toBe(false);
		expect(await complete(d.db, j.id, second!.leaseId!, { ok: 1 })).toBe(true);
		expect((await getJob(d.db, j.id))?.state).toBe('done');
	});

	it('never re-leases a job whose last attempt expired; burying it is per queue', async () => {
		const j = await enqueue(d.db, { kind: 'last', payload: {}, maxAttempts: 1, queue: 'gpu' });
		const c = await claim(d.db, { queue: 'gpu', kinds: ['last'], owner: 'a', leaseSeconds: 30 });
		expect(c?.id).toBe(j.id);
		await d.db
			.update(jobs)
			.set({ leaseExpiresAt: new Date(Date.now() - 1000) })
			.where(eq(jobs.id, j.id));
		expect(
			await claim(d.db, { queue: 'gpu', kinds: ['last'], owner: 'b', leaseSeconds: 30 })
		).toBeNull();
		expect(await buryExhausted(d.db, 'app')).not.toContain(j.id);
		expect((await getJob(d.db, j.id))?.state).toBe('running');
		expect(await buryExhausted(d.db, 'gpu')).toEqual([j.id]);
		expect(await getJob(d.db, j.id)).toMatchObject({
			state: 'dead',
			lastError: 'lease expired on the last attempt'
		});
	});

	it('retries with backoff, then gives up as dead', async () => {
		const j = await enqueue(d.db, { kind: 'flaky', payload: {}, maxAttempts: 2 });
		const c1 = await claim(d.db, { queue: 'app', kinds: ['flaky'], owner: 'a', leaseSeconds: 30 });
		expect(await fail(d.db, j.id, c1!.leaseId!, 'boom')).toBe('queued');
		const after = await getJob(d.db, j.id);
		expect(after!.runAt.getTime()).toBeGreaterThan(Date.now());
		await d.db
			.update(jobs)
			.set({ runAt: new Date(Date.now() - 1000) })
			.where(eq(jobs.id, j.id));
		const c2 = await claim(d.db, { queue: 'app', kinds: ['flaky'], owner: 'a', leaseSeconds: 30 });
		expect(await fail(d.db, j.id, c2!.leaseId!, 'boom again')).toBe('dead');
		await retry(d.db, j.id);
		expect((await getJob(d.db, j.id))?.state).toBe('queued');
	});

	it('cancels queued jobs at once and asks running ones to stop', async () => {
		const q = await enqueue(d.db, { kind: 'cancel-q', payload: {} });
		await cancel(d.db, q.id);
		expect((await getJob(d.db, q.id))?.state).toBe('cancelled');
		const r = await enqueue(d.db, { kind: 'cancel-r', payload: {} });
		const c = await claim(d.db, {
			queue: 'app',
			kinds: ['cancel-r'],
			owner: 'a',
			leaseSeconds: 30
		});
		await cancel(d.db, r.id);
		expect((await heartbeat(d.db, r.id, c!.leaseId!, 30))?.cancel).toBe(true);
		expect(await fail(d.db, r.id, c!.leaseId!, 'stopped')).toBe('cancelled');
	});

	it('runs handlers in the runner, with permanent errors failing at once', async () => {
		const runner = new JobRunner(d.db, { leaseSeconds: 5, pollMs: 50 });
		const seen: unknown[] = [];
		runner.register('echo', {
			run: async ({ job }) => (seen.push(job.payload), { echoed: job.payload })
		});
		runner.register('bad', {
			run: async () => {
				throw new PermanentJobError('the input is wrong');
			}
		});
		const ok = await enqueue(d.db, { kind: 'echo', payload: { hello: 'world' } });
		const bad = await enqueue(d.db, { kind: 'bad', payload: {} });
		runner.start();
		await expect
			.poll(async () => (await getJob(d.db, ok.id))?.state, { timeout: 10_000 })
			.toBe('done');
		await expect
			.poll(async () => (await getJob(d.db, bad.id))?.state, { timeout: 10_000 })
			.toBe('failed');
		await runner.stop();
		expect(seen).toEqual([{ hello: 'world' }]);
		expect((await getJob(d.db, ok.id))?.result).toEqual({ echoed: { hello: 'world' } });
		expect((await getJob(d.db, bad.id))?.lastError).toBe('the input is wrong');
	});
});
