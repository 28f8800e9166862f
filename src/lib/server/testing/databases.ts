import postgres from 'postgres';
import { openDatabase, type Database } from '../db';

export type DbKind = 'pglite' | 'postgres';
export const DB_KINDS: DbKind[] = ['pglite', 'postgres'];

/**
 * A fresh, migrated database of the given kind. For PostgreSQL a new database is created
 * inside the test server and dropped again on close, so test files never see each other's rows.
 */
export async function freshDatabase(kind: DbKind): Promise<Database & { url?: string }> {
	if (kind === 'pglite') {
		const d = await openDatabase({ dataDir: 'memory://' });
		await d.migrate();
		return d;
	}
	const base = process.env.TEST_DATABASE_URL;
	if (!base) throw new Error('TEST_DATABASE_URL is not set (the vitest global setup sets it).');
	const name = `sid_test_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
	const admin = postgres(base, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	await admin.end();
	const url = new URL(base);
	url.pathname = `/${name}`;
	const d = await openDatabase({ url: url.toString(), poolSize: 20 });
	await d.migrate();
	return {
		...d,
		url: url.toString(),
		close: async () => {
			await d.close();
			const a = postgres(base, { max: 1, onnotice: () => {} });
			await a.unsafe(`drop database if exists ${name} with (force)`);
			await a.end();
		}
	};
}
