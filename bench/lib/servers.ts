// Starts what a benchmark runs against: a fresh database (the test PostgreSQL or a PGlite
// folder) and one or more `node server.js` instances on loopback ports.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';

export type DbKind = 'postgres' | 'pglite';

export interface Target {
	kind: DbKind;
	/** What `node server.js` gets: DATABASE_URL for PostgreSQL, DATA_DIR for both. */
	env: Record<string, string>;
	url?: string;
	dataDir: string;
}

export async function freshTarget(kind: DbKind): Promise<Target> {
	const dataDir = mkdtempSync(join(tmpdir(), 'sid-bench-'));
	if (kind === 'pglite') return { kind, env: { DATA_DIR: dataDir }, dataDir };
	const base = execFileSync('bash', ['scripts/pg-test-server.sh', 'start'], {
		encoding: 'utf8'
	}).trim();
	const name = `sid_bench_${Date.now()}`;
	const admin = postgres(base, { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	await admin.end();
	const url = new URL(base);
	url.pathname = `/${name}`;
	return {
		kind,
		env: { DATA_DIR: dataDir, DATABASE_URL: url.toString() },
		url: url.toString(),
		dataDir
	};
}

/**
 * Drops a finished run's database and folder. Left behind, they cost every later run:
 * autovacuum keeps visiting each database on the server, on the same two cores.
 */
export async function dropTarget(target: Target): Promise<void> {
	rmSync(target.dataDir, { recursive: true, force: true });
	if (!target.url) return;
	const url = new URL(target.url);
	const name = url.pathname.slice(1);
	url.pathname = '/postgres';
	const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
	await admin.unsafe(`drop database if exists ${name} with (force)`);
	await admin.end();
}

export interface Instance {
	base: string;
	proc: ChildProcess;
}

export async function startInstance(
	target: Target,
	port: number,
	extra: Record<string, string> = {},
	/** A checkout whose `build/` to run (e.g. an older commit, for before/after figures). */
	cwd = process.cwd()
): Promise<Instance> {
	const base = `http://127.0.0.1:${port}`;
	// The entry `npm start` runs; a checkout from before server.js existed starts build/ itself.
	const entry = existsSync(join(cwd, 'server.js')) ? 'server.js' : 'build';
	// BENCH_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the app under load.
	const flags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
	const proc = spawn(process.execPath, [...flags, entry], {
		cwd,
		env: {
			...process.env,
			...target.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: base,
			BODY_SIZE_LIMIT: '110M',
			DATABASE_POOL_SIZE: process.env.BENCH_POOL_SIZE ?? '20',
			// Simulated participants send their own address in X-Forwarded-For (as a proxy in
			// front of the app would), so the per-address limit sees a crowd, as on Prolific,
			// not one address; lifted anyway for older builds that read only the socket.
			ADDRESS_HEADER: 'x-forwarded-for',
			CONSENT_STARTS_PER_MINUTE: '100000000',
			...extra
		},
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const deadline = Date.now() + 60_000;
	for (;;) {
		try {
			const r = await fetch(`${base}/login`);
			if (r.ok) break;
		} catch {
			// not listening yet
		}
		if (proc.exitCode !== null) throw new Error(`the server exited with ${proc.exitCode}`);
		if (Date.now() > deadline) throw new Error('the server did not start within 60 s');
		await new Promise((r) => setTimeout(r, 250));
	}
	return { base, proc };
}

export async function stopInstance(i: Instance): Promise<void> {
	if (i.proc.exitCode !== null) return;
	const done = new Promise((r) => i.proc.once('exit', r));
	i.proc.kill('SIGTERM');
	await Promise.race([done, new Promise((r) => setTimeout(r, 10_000))]);
	if (i.proc.exitCode === null) i.proc.kill('SIGKILL');
}

/**
 * CPU seconds (user + system) used so far by the app processes and the PostgreSQL backends
 * serving `target`'s database (found by their process title). On a shared machine wall
 * times depend on everyone else's load; the CPU a run costs does much less.
 */
export function cpuSeconds(target: Target, instances: Instance[]): { app: number; db: number } {
	const ticks = (pid: number) => {
		try {
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			return Number(fields[11]) + Number(fields[12]); // utime, stime
		} catch {
			return 0;
		}
	};
	const app = instances.reduce((n, i) => n + (i.proc.pid ? ticks(i.proc.pid) : 0), 0);
	let db = 0;
	const dbName = target.url ? new URL(target.url).pathname.slice(1) : null;
	if (dbName) {
		for (const entry of readdirSync('/proc')) {
			if (!/^\d+$/.test(entry)) continue;
			let cmd = '';
			try {
				cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
			} catch {
				continue;
			}
			if (cmd.startsWith('postgres: ') && cmd.includes(` ${dbName} `)) db += ticks(Number(entry));
		}
	}
	return { app: app / 100, db: db / 100 }; // USER_HZ
}
