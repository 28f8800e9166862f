import { spawn, type ChildProcess } from 'node:child_process';

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
