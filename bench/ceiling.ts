// Ceiling benchmark: how close the answer path comes to what the framework and the database
// allow, measured in one run against the same build, database and load generator.
//
//   npm run build
//   node --import tsx bench/ceiling.ts [--clients 300] [--requests 40] [--port 51300]
//        [--before /path/to/older/checkout]
//
// Three endpoints, each driven by `clients` keep-alive connections posting `requests` small
// JSON bodies back to back:
// - trivial: reads and validates the body, answers JSON (SvelteKit alone);
// - insert:  the same plus one `INSERT … ON CONFLICT DO NOTHING` through the app's
//            postgres.js pool (the ceiling the answer path is compared with);
// - answer:  the real answer endpoint, one participant per client answering its questions.
// The reference endpoints exist only because this script starts the server with
// BENCH_ENDPOINTS=on. `--before` also runs the answer path of an older checkout's build
// (its own fresh database) with the same generator, for before/after figures.
// Afterwards every acknowledged answer must be stored exactly once.
import http from 'node:http';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { dropTarget, freshTarget, startInstance, stopInstance, type Target } from './lib/servers';
import { seedStudy, verify } from './lib/seed';
import { consent, loadQuestions, type Options } from './lib/participant';
import { summarize } from './lib/stats';
import { send } from './lib/http';

const { values: a } = parseArgs({
	options: {
		clients: { type: 'string', default: '300' },
		requests: { type: 'string', default: '40' },
		port: { type: 'string', default: '51300' },
		before: { type: 'string' }
	}
});
const clients = Number(a.clients);
const perClient = Number(a.requests);
const port = Number(a.port);

interface Phase {
	name: string;
	requests: number;
	ok: number;
	failed: number;
	perSecond: number;
	latencyMs: ReturnType<typeof summarize>;
}

/** The load generator all phases share: one request at a time per client, all clients at once. */
async function drive(
	name: string,
	base: string,
	jobs: { path: string; body: string; headers: Record<string, string> }[][],
	onOk: (body: string) => void = () => {}
): Promise<Phase> {
	const agent = new http.Agent({ keepAlive: true, maxSockets: jobs.length });
	const lat: number[] = [];
	let ok = 0;
	let failed = 0;
	const t0 = performance.now();
	await Promise.all(
		jobs.map(async (list) => {
			for (const job of list) {
				const t = performance.now();
				try {
					const r = await send(new URL(job.path, base), {
						method: 'POST',
						body: job.body,
						agent,
						headers: { 'content-type': 'application/json', origin: base, ...job.headers }
					});
					if (r.status === 200 || r.status === 201) {
						ok++;
						onOk(r.body);
					} else failed++;
				} catch {
					failed++;
				}
				lat.push(performance.now() - t);
			}
		})
	);
	const seconds = (performance.now() - t0) / 1000;
	agent.destroy();
	return {
		name,
		requests: lat.length,
		ok,
		failed,
		perSecond: Math.round(lat.length / seconds),
		latencyMs: summarize(lat)
	};
}

const probeJobs = (probe: string, n: number) =>
	Array.from({ length: clients }, () =>
		Array.from({ length: n }, () => ({
			path: `/api/bench/${probe}`,
			body: JSON.stringify({ id: crypto.randomUUID() }),
			headers: {}
		}))
	);

/** Consents `clients` participants and prepares up to `n` answers each. */
async function answerJobs(base: string, slug: string, tag: string, n: number) {
	const o: Options = { bases: [base], slug, pid: '', thinkMs: 0, record: () => {} };
	return Promise.all(
		Array.from({ length: clients }, async (_, i) => {
			const p = { ...o, pid: `ceiling-${tag}-${i}` };
			const cookie = await consent(p);
			const { screens, problems } = await loadQuestions(p, cookie);
			return problems.slice(0, n).map((q) => ({
				path: `/api/s/${slug}/answers`,
				body: JSON.stringify({
					id: crypto.randomUUID(),
					assignmentId: screens[q.screen].assignmentId,
					question: q.question,
					choice: ['left', 'right', 'undecided'][Math.floor(Math.random() * 3)],
					clientMs: 50
				}),
				headers: { cookie }
			}));
		})
	);
}

/** Warms up, then measures the answer path of one build; checks exactly-once afterwards. */
async function answerPhase(name: string, target: Target, slug: string, base: string) {
	const warm = await answerJobs(base, slug, `${name}-warm`, 10);
	await drive(`${name} warm-up`, base, warm);
	const jobs = await answerJobs(base, slug, name, perClient);
	const acknowledged: string[] = [];
	const phase = await drive(name, base, jobs, (b) => acknowledged.push(JSON.parse(b).id));
	return { phase, acknowledged };
}

const target = await freshTarget('postgres');
const slug = await seedStudy(target);
const admin = postgres(target.url!, { max: 1, onnotice: () => {} });
await admin`create table bench_ceiling (id uuid primary key, at timestamptz not null default now())`;
const server = await startInstance(target, port, { BENCH_ENDPOINTS: 'on' });
const phases: Phase[] = [];
let checks: Record<string, unknown> = {};
try {
	await drive('warm-up', server.base, probeJobs('trivial', 10));
	await drive('warm-up', server.base, probeJobs('insert', 10));
	phases.push(await drive('trivial', server.base, probeJobs('trivial', perClient)));
	phases.push(await drive('insert', server.base, probeJobs('insert', perClient)));
	const answers = await answerPhase('answer', target, slug, server.base);
	phases.push(answers.phase);
	const [{ n }] = await admin`select count(*)::int as n from bench_ceiling`;
	const inserted = phases[1].ok + clients * 10;
	checks = { insertRows: n, insertAcknowledged: inserted };
	await stopInstance(server);
	const v = await verify(target, slug, answers.acknowledged);
	checks.answer = { ...v, lost: v.acknowledged - v.found, doubled: v.duplicates };
	if (a.before) {
		const old = await freshTarget('postgres');
		const oldSlug = await seedStudy(old);
		const oldServer = await startInstance(old, port + 1, {}, a.before);
		const before = await answerPhase('answer (before)', old, oldSlug, oldServer.base);
		phases.push(before.phase);
		await stopInstance(oldServer);
		const w = await verify(old, oldSlug, before.acknowledged);
		await dropTarget(old);
		checks.before = { ...w, lost: w.acknowledged - w.found, doubled: w.duplicates };
	}
} finally {
	await stopInstance(server);
	await admin.end();
	await dropTarget(target);
}

const insert = phases.find((p) => p.name === 'insert')!;
console.info(
	JSON.stringify(
		{
			config: { clients, requestsPerClient: perClient, db: 'postgres' },
			phases: phases.map((p) => ({
				...p,
				ofTrivial: Math.round((p.perSecond / phases[0].perSecond) * 100) / 100,
				ofInsert: Math.round((p.perSecond / insert.perSecond) * 100) / 100
			})),
			checks
		},
		null,
		2
	)
);
const answer = checks.answer as { lost: number; doubled: number; extra?: number };
if (answer.lost !== 0 || answer.doubled !== 0 || phases.some((p) => p.failed > 0)) {
	console.error('FAILED: answers lost, doubled or refused');
	process.exit(1);
}
