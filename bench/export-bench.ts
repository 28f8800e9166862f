/**
 * Export benchmark: seeds a study with N responses into a real PostgreSQL
 * (bulk insert with generate_series, on the server) and streams the tidy CSV
 * export through the same code path as the download endpoint, measuring time
 * and the peak resident memory of this process.
 *
 *   node --import tsx bench/export-bench.ts --responses 100000
 *   node --import tsx bench/export-bench.ts --responses 1000000 [--rows skip]
 *   node --import tsx bench/export-bench.ts --responses 100000 --db pglite
 *
 * Both CSV paths run side by side: the database-formatted one the download endpoint uses
 * (COPY on PostgreSQL, page-wise COPY on PGlite) and the row-by-row reference path.
 *
 * BENCH_DATABASE_URL (default: the test server postgres://postgres@127.0.0.1:54329/postgres)
 * must allow CREATE DATABASE; a scratch database is created and dropped.
 */
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, queryRows } from '../src/lib/server/db';
import { getStudy } from '../src/lib/server/studies/studies';
import { responsesCsv, responsesCsvRows } from '../src/lib/server/exports/bundle';
import { toReadableStream } from '../src/lib/server/exports/stream';
import { DEFAULT_RULES } from '../src/lib/server/results/answers';
import { PER_PARTICIPANT, seedBigStudy } from './lib/big-study';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
	args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const N = Number(args.get('responses') ?? 100_000);
const kind = args.get('db') ?? 'postgres';
const skipRows = args.get('rows') === 'skip';
const QUESTIONS = 4;
const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:54329/postgres';

const log = (msg: string) => process.stdout.write(msg + '\n');

/** Streams one CSV path to nowhere, measuring rows/s and this process's peak RSS. */
async function measure(
	name: string,
	source: AsyncIterable<string | Uint8Array>,
	expected: number
): Promise<void> {
	global.gc?.();
	const rssBefore = process.memoryUsage().rss;
	let peak = rssBefore;
	const timer = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().rss);
	}, 20);
	const t1 = performance.now();
	const reader = toReadableStream(source).getReader();
	let bytes = 0;
	let lines = 0;
	for (;;) {
		const { value, done } = await reader.read();
		if (done) break;
		bytes += value.byteLength;
		for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
	}
	clearInterval(timer);
	peak = Math.max(peak, process.memoryUsage().rss);
	const seconds = (performance.now() - t1) / 1000;
	const mb = (x: number) => (x / 1024 / 1024).toFixed(0);
	log(
		`${name}: exported ${lines - 1} rows, ${mb(bytes)} MB of CSV in ${seconds.toFixed(1)} s ` +
			`(${Math.round((lines - 1) / seconds)} rows/s); RSS before ${mb(rssBefore)} MB, peak ${mb(peak)} MB`
	);
	if (lines - 1 !== expected)
		throw new Error(`${name}: row count mismatch: ${lines - 1} exported, ${expected} stored`);
}

async function main() {
	let cleanup = async () => {};
	let d: Awaited<ReturnType<typeof openDatabase>>;
	if (kind === 'pglite') {
		d = await openDatabase({ dataDir: mkdtempSync(join(tmpdir(), 'sid-export-bench-')) });
	} else {
		const name = `sid_bench_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
		const admin = postgres(base, { max: 1, onnotice: () => {} });
		await admin.unsafe(`create database ${name}`);
		const url = new URL(base);
		url.pathname = `/${name}`;
		d = await openDatabase({ url: url.toString(), poolSize: 4 });
		cleanup = async () => {
			await admin.unsafe(`drop database if exists ${name} with (force)`);
			await admin.end();
		};
	}
	try {
		await d.migrate();
		const participants = Math.ceil(N / (QUESTIONS * PER_PARTICIPANT));
		const t0 = performance.now();
		const studyId = await seedBigStudy(d.db, participants);
		const [{ n }] = await queryRows<{ n: number }>(
			d.db,
			sql`select count(*)::int as n from responses`
		);
		log(
			`${kind}: seeded ${n} responses (${participants} participants) in ${((performance.now() - t0) / 1000).toFixed(1)} s`
		);
		const study = (await getStudy(d.db, studyId))!;
		const opts = { rules: DEFAULT_RULES, hashExternalIds: true };
		// The database-formatted path first, so its peak RSS is not the other's leftover heap.
		await measure('database-formatted (COPY)', responsesCsv(d.db, study, opts), n);
		if (!skipRows) await measure('row by row', responsesCsvRows(d.db, study, opts), n);
	} finally {
		await d.close();
		await cleanup();
	}
}

main().catch((e) => {
	process.stderr.write(String(e?.stack ?? e) + '\n');
	process.exit(1);
});
