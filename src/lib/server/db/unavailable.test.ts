import { describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { sql } from 'drizzle-orm';
import { createServer } from 'node:net';
import { databaseUnavailable } from './unavailable';

// Issue 14, finding 8: the fault tests printed a red stack trace for every request that
// failed while PostgreSQL restarted. Those errors (and only those) are now one line; this
// checks the classification on errors the driver really throws.
const url = process.env.TEST_DATABASE_URL;

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const { port } = server.address() as { port: number };
	await new Promise((r) => server.close(r));
	return port;
}

async function failure(run: () => Promise<unknown>): Promise<unknown> {
	try {
		await run();
	} catch (e) {
		return e;
	}
	throw new Error('expected a failure');
}

describe('database unavailable', () => {
	it('recognises a refused connection through drizzle', async () => {
		const client = postgres(`postgres://postgres@127.0.0.1:${await closedPort()}/postgres`, {
			max: 1,
			connect_timeout: 5,
			onnotice: () => {}
		});
		const e = await failure(() => drizzle(client).execute(sql`select 1`));
		await client.end({ timeout: 1 });
		expect(databaseUnavailable(e)).toMatch(/ECONNREFUSED/);
	});

	it.skipIf(!url)('recognises a connection the server terminated, not a broken query', async () => {
		const admin = postgres(url!, { max: 1, onnotice: () => {} });
		const victim = postgres(url!, { max: 1, onnotice: () => {} });
		try {
			const [{ pid }] = await victim`select pg_backend_pid() as pid`;
			await admin`select pg_terminate_backend(${pid})`;
			const e = await failure(() => drizzle(victim).execute(sql`select 1`));
			expect(databaseUnavailable(e)).toMatch(/57P01|CONNECTION_CLOSED|ECONNRESET/);
			// A bug (here a syntax error) stays an unexpected error, loud with its stack.
			const bug = await failure(() => drizzle(admin).execute(sql`selec 1`));
			expect(databaseUnavailable(bug)).toBeNull();
			expect(databaseUnavailable(new Error('plain'))).toBeNull();
		} finally {
			await admin.end({ timeout: 1 });
			await victim.end({ timeout: 1 });
		}
	});
});
