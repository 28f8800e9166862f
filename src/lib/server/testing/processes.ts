import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * Starts a TypeScript file as its own app process for crash tests: node itself, not npx,
 * so that a SIGKILL hits the process that holds the jobs.
 */
export function startTsProcess(file: string, env: Record<string, string>): ChildProcess {
	return spawn(process.execPath, ['--import', 'tsx', file], {
		env: { ...process.env, ...env },
		stdio: ['ignore', 'inherit', 'inherit']
	});
}

export async function waitFor(pred: () => boolean, ms = 60_000): Promise<void> {
	const end = Date.now() + ms;
	while (!pred()) {
		if (Date.now() > end) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 50));
	}
}

export const exited = (p: ChildProcess) =>
	new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)));

/**
 * A port nobody listens on right now: tests that start their own server take one, so two
 * checkouts (or a developer's server) on the same machine never answer each other's requests.
 */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.on('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address() as { port: number };
			s.close(() => resolve(port));
		});
	});
}
