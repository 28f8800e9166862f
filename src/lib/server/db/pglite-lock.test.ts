import { afterEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from './index';

// Finding 4 of issue 14: `npm run admin:create` while the server ran on the same PGlite
// folder printed "Admin ready", exited 0, and the account was lost.
const HOLD = `
import { openDatabase } from './src/lib/server/db/index.ts';
const d = await openDatabase({ dataDir: process.argv[1] });
console.log('holding');
process.on('SIGTERM', async () => { await d.close(); process.exit(0); });
setInterval(() => {}, 1000);
`;

function holdFolder(folder: string): Promise<ChildProcess> {
	const child = spawn(
		process.execPath,
		['--import', 'tsx', '--input-type=module', '-e', HOLD, folder],
		{
			stdio: ['ignore', 'pipe', 'inherit']
		}
	);
	return new Promise((resolve, reject) => {
		child.stdout!.on('data', (b: Buffer) => b.toString().includes('holding') && resolve(child));
		child.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
	});
}

function withoutDatabaseUrl(): NodeJS.ProcessEnv {
	const env = { ...process.env };
	delete env.DATABASE_URL;
	return env;
}

const exited = (c: ChildProcess) =>
	c.exitCode !== null || c.signalCode !== null
		? Promise.resolve()
		: new Promise((r) => c.once('exit', r));

describe('one process per PGlite data folder', () => {
	let dir: string;
	let holder: ChildProcess | undefined;
	afterEach(async () => {
		if (holder && holder.exitCode === null) {
			holder.kill('SIGKILL');
			await exited(holder);
		}
		rmSync(dir, { recursive: true, force: true });
	});

	it('refuses a second process and the admin CLI while the folder is held, not after', async () => {
		dir = mkdtempSync(join(tmpdir(), 'pglite-lock-'));
		const folder = join(dir, 'pglite');
		holder = await holdFolder(folder);
		await expect(openDatabase({ dataDir: folder })).rejects.toThrow(
			new RegExp(`in use by process ${holder.pid}`)
		);
		const cli = spawnSync(
			process.execPath,
			['--import', 'tsx', 'scripts/admin-create.ts', '--email', 'late@example.org'],
			{ env: { ...withoutDatabaseUrl(), DATA_DIR: dir }, encoding: 'utf8' }
		);
		expect(cli.status).toBe(1);
		expect(cli.stderr).toMatch(/in use by process \d+/);
		expect(cli.stdout).not.toMatch(/Admin ready/);
		// A holder that dies without cleaning up does not block the folder forever.
		holder.kill('SIGKILL');
		await exited(holder);
		expect(existsSync(`${folder}.lock`)).toBe(true);
		const next = await openDatabase({ dataDir: folder });
		expect(JSON.parse(readFileSync(`${folder}.lock`, 'utf8')).pid).toBe(process.pid);
		await next.close();
		expect(existsSync(`${folder}.lock`)).toBe(false);
	}, 60_000);
});
