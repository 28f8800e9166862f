import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';
import postgres from 'postgres';
import * as schema from './schema';
import { config } from '../config';
import { FOLDER_BUSY, lockPgliteFolder } from './pglite-lock';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
	db: Db;
	kind: 'pglite' | 'postgres';
	migrate(): Promise<void>;
	close(): Promise<void>;
}

const migrationsFolder = join(process.cwd(), 'drizzle');

/**
 * A real PostgreSQL through postgres.js when a URL is given, else an embedded PGlite
 * in `dataDir` (or in memory for `memory://`), so the app runs with no setup at all.
 */
export async function openDatabase(opts: {
	url?: string;
	dataDir?: string;
	poolSize?: number;
}): Promise<Database> {
	if (opts.url) {
		const client = postgres(opts.url, {
			max: opts.poolSize ?? 10,
			onnotice: () => {},
			// Survive a PostgreSQL restart: broken connections are dropped and re-opened on demand.
			idle_timeout: 60,
			connect_timeout: 10,
			// postgres.js looks up array types on every new connection and leaves that lookup's
			// failure unhandled: a reset just after connecting (PostgreSQL restarting) killed the
			// process. Nothing needs the lookup: drizzle reads and writes array columns as text,
			// raw statements pass arrays as literals and return lists as JSON
			// (dropped-connection.test.ts).
			fetch_types: false
		});
		const db = drizzlePostgres({ client, schema, casing: 'snake_case' }) as unknown as Db;
		postgresClients.set(db, client);
		return {
			db,
			kind: 'postgres',
			migrate: () => migratePostgres(db as never, { migrationsFolder }),
			close: () => client.end({ timeout: 5 })
		};
	}
	let client: PGlite;
	let unlock = () => {};
	if (!opts.dataDir || opts.dataDir === 'memory://') {
		client = await PGlite.create();
	} else {
		// PGlite.create makes only the last folder of the path.
		mkdirSync(opts.dataDir, { recursive: true });
		unlock = lockPgliteFolder(opts.dataDir);
		try {
			client = await PGlite.create(opts.dataDir);
		} catch (e) {
			unlock();
			throw e;
		}
	}
	const db = drizzlePglite({ client, schema, casing: 'snake_case' }) as unknown as Db;
	return {
		db,
		kind: 'pglite',
		migrate: () => migratePglite(db as never, { migrationsFolder }),
		close: async () => {
			await client.close();
			unlock();
		}
	};
}

let current: Database | undefined;
let opening: Promise<Database> | undefined;

/** The process-wide database, opened (and migrated) once. */
export function database(): Promise<Database> {
	if (current) return Promise.resolve(current);
	opening ??= (async () => {
		const cfg = config();
		const d = await openDatabase({
			url: cfg.DATABASE_URL,
			dataDir: join(cfg.dataDir, 'pglite'),
			poolSize: cfg.DATABASE_POOL_SIZE
		});
		await d.migrate();
		current = d;
		return d;
	})();
	return opening;
}

/**
 * The database for a command-line script: when the embedded folder belongs to a running
 * server, say so and exit 1 instead of writing to a copy the server will never see.
 */
export async function databaseForScript(): Promise<Database> {
	try {
		return await database();
	} catch (e) {
		if ((e as { code?: string }).code !== FOLDER_BUSY) throw e;
		console.error((e as Error).message);
		process.exit(1);
	}
}

export async function db(): Promise<Db> {
	return (await database()).db;
}

/** Lets tests and scripts install a database of their own. */
export function useDatabase(d: Database | undefined): void {
	current = d;
	opening = d ? Promise.resolve(d) : undefined;
}

export async function closeDatabase(): Promise<void> {
	const d = current;
	current = undefined;
	opening = undefined;
	await d?.close();
}

const postgresClients = new WeakMap<Db, postgres.Sql>();
const dialect = new PgDialect({ casing: 'snake_case' });

/**
 * `queryRows` for the few statements a recruitment burst runs thousands of times (an arrival,
 * the question page, an answer): on PostgreSQL a named prepared statement on each connection,
 * so the server parses and plans it once per connection instead of on every call (planning the
 * arrival statement costs about as much as running it). Only for fixed statement text: every
 * distinct text stays prepared on every connection. PGlite, in-process, runs it as queryRows.
 */
export async function hotRows<T>(d: Db, query: SQL): Promise<T[]> {
	const client = postgresClients.get(d);
	if (!client) return queryRows<T>(d, query);
	const { sql: text, params } = dialect.sqlToQuery(query);
	return (await client.unsafe(text, params as never[], { prepare: true })) as unknown as T[];
}

/** postgres.js returns an array of rows, PGlite an object with `rows`: one shape for both. */
export async function queryRows<T>(d: Db | Tx, query: SQL): Promise<T[]> {
	const result = (await d.execute(query)) as unknown;
	if (Array.isArray(result)) return result as T[];
	return ((result as { rows: T[] }).rows ?? []) as T[];
}

export { schema };
