// Fault tests over real HTTP against the built server on PostgreSQL:
//   kill  - the app is SIGKILLed at random moments while participants answer, and restarted;
//   pg    - PostgreSQL is restarted under load while the app keeps running.
// Clients retry as the participant page does (same answer id). Afterwards every acknowledged
// answer must be stored exactly once. `--quick` is the CI size; the default is longer.
//
//   npm run build && node --import tsx bench/faults.ts [--quick] [--scenario kill|pg|both]
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { dropTarget, freshTarget, startInstance, stopInstance, type Instance } from './lib/servers';
import { seedStudy, verify } from './lib/seed';
import { participate } from './lib/participant';

const { values: a } = parseArgs({
	options: {
		quick: { type: 'boolean', default: false },
		scenario: { type: 'string', default: 'both' },
		port: { type: 'string', default: '4350' }
	}
});
const size = a.quick
	? { participants: 24, thinkMs: 30, kills: 3 }
	: { participants: 150, thinkMs: 40, kills: 10 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function scenario(name: 'kill' | 'pg'): Promise<boolean> {
	const target = await freshTarget('postgres');
	const slug = await seedStudy(target);
	const port = Number(a.port);
	let server: Instance = await startInstance(target, port);
	const firstPid = server.proc.pid;
	const base = server.base;
	let errors = 0;
	let requests = 0;
	let answersSoFar = 0;
	const record = (k: string, _ms: number, ok: boolean) => {
		requests++;
		if (!ok) errors++;
		else if (k === 'answer') answersSoFar++;
	};
	let running = true;
	const acknowledged: string[] = [];
	const crowd = Promise.all(
		Array.from({ length: size.participants }, async (_, i) => {
			await sleep(i * 40);
			const out = await participate({
				bases: [base],
				slug,
				pid: `fault-${name}-${i}`,
				thinkMs: size.thinkMs,
				record,
				maxRetries: 40
			});
			acknowledged.push(...out.acknowledged);
		})
	).finally(() => (running = false));

	const events: string[] = [];
	const faults = (async () => {
		for (let k = 0; k < size.kills && running; k++) {
			await sleep(800 + Math.random() * 1500);
			if (!running) break;
			if (name === 'kill') {
				server.proc.kill('SIGKILL');
				await new Promise((r) => server.proc.once('exit', r));
				events.push(`killed the app after ${answersSoFar} answers`);
				server = await startInstance(target, port);
			} else {
				execFileSync('bash', ['scripts/pg-test-server.sh', 'restart']);
				events.push(`restarted PostgreSQL after ${answersSoFar} answers`);
			}
		}
	})();
	await Promise.all([crowd, faults]);
	const appPid = server.proc.pid;
	await stopInstance(server);
	const check = await verify(target, slug, acknowledged);
	await dropTarget(target);
	const lost = check.acknowledged - check.found;
	const extra = check.rowsInTable - check.found;
	// After a database restart the same app process must still be serving.
	const survived = name === 'kill' || appPid === firstPid;
	const ok =
		survived &&
		lost === 0 &&
		extra === 0 &&
		check.duplicates === 0 &&
		check.completed === size.participants;
	console.info(
		JSON.stringify(
			{
				scenario: name,
				events,
				requests,
				failedRequests: errors,
				...check,
				lost,
				extra,
				appSurvived: survived,
				ok
			},
			null,
			2
		)
	);
	return ok;
}

const names =
	a.scenario === 'both' ? (['kill', 'pg'] as const) : ([a.scenario] as ('kill' | 'pg')[]);
let allOk = true;
for (const n of names) allOk = (await scenario(n)) && allOk;
if (!allOk) {
	console.error('FAILED: answers lost or doubled');
	process.exit(1);
}
