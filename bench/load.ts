// Load test: simulated participants over real HTTP against the built server.
//
//   npm run build
//   node --import tsx bench/load.ts [--db postgres|pglite] [--instances 1|2] [--blobs disk|s3]
//        [--participants 500] [--burst 300] [--window 300] [--think 0] [--build .] [--arrive-only]
//        [--warm 0] [--images]
//
// --arrive-only: participants consent and load the question page, then stop (the arrival
// path alone, without the answers of earlier arrivals competing for the same CPU).
// --images: each participant also loads images as the question page does (the first screen's
// before it counts as shown, reported as firstScreen; the next screen's while answering).
// --build runs another checkout's `build/` (e.g. an older commit, for before/after figures).
// A Prolific-style burst: `burst` participants arrive at once, the rest spread over `window`
// seconds. Each consents, loads the question page and answers the 40 questions (think time
// `--think` ms on average; 0 = as fast as possible). Afterwards it checks that every
// acknowledged answer is in the database exactly once.
import { parseArgs } from 'node:util';
import {
	cpuSeconds,
	dropTarget,
	freshTarget,
	startInstance,
	stopInstance,
	type DbKind
} from './lib/servers';
import { openingSettled, seedStudy, verify } from './lib/seed';
import { participate } from './lib/participant';
import { summarize } from './lib/stats';
import { startS3 } from './lib/s3';

const { values: a } = parseArgs({
	options: {
		db: { type: 'string', default: 'postgres' },
		instances: { type: 'string', default: '1' },
		blobs: { type: 'string', default: 'disk' },
		participants: { type: 'string', default: '500' },
		burst: { type: 'string', default: '300' },
		window: { type: 'string', default: '300' },
		think: { type: 'string', default: '0' },
		port: { type: 'string', default: '4300' },
		build: { type: 'string', default: '.' },
		'arrive-only': { type: 'boolean', default: false },
		warm: { type: 'string', default: '0' },
		images: { type: 'boolean', default: false }
	}
});
const kind = a.db as DbKind;
const instances = Number(a.instances);
const participants = Number(a.participants);
const burst = Math.min(Number(a.burst), participants);
const windowS = Number(a.window);
const thinkMs = Number(a.think);
if (kind === 'pglite' && instances > 1)
	throw new Error('PGlite serves one process: use --db postgres for two instances');

const target = await freshTarget(kind);
const s3 = a.blobs === 's3' ? await startS3() : null;
const slug = await seedStudy(target, s3?.env ?? {});
const servers = [];
for (let i = 0; i < instances; i++)
	servers.push(await startInstance(target, Number(a.port) + i, s3?.env ?? {}, a.build));
const bases = servers.map((s) => s.base);
// An older build (--build) may not know the jobs this checkout's seeding queued.
if (a.build === '.') await openingSettled(target);

const lat: Record<string, number[]> = {
	start: [],
	page: [],
	answer: [],
	complete: [],
	image: [],
	screen: []
};
let requests = 0;
let errors = 0;
const record = (k: string, ms: number, ok: boolean) => {
	requests++;
	if (!ok) errors++;
	lat[k].push(ms);
};
const acknowledged: string[] = [];
let failedParticipants = 0;
// --warm N: N participants consent and load their page one after another before the burst
// (not measured), as a researcher's own previews and pilot would: the server has run the
// arrival path and opened its database connections. 0 measures a cold server.
for (let i = 0; i < Number(a.warm); i++)
	await participate({
		bases,
		slug,
		pid: `warm-${i}-${Date.now()}`,
		thinkMs: 0,
		record: () => {},
		answer: false,
		images: a.images
	});
const cpu0 = cpuSeconds(target, servers);
const client0 = process.cpuUsage();
const t0 = performance.now();
await Promise.all(
	Array.from({ length: participants }, async (_, i) => {
		const delay =
			i < burst ? 0 : ((i - burst) / Math.max(1, participants - burst)) * windowS * 1000;
		await new Promise((r) => setTimeout(r, delay));
		try {
			const out = await participate({
				bases,
				slug,
				pid: `load-${i}-${Date.now()}`,
				thinkMs,
				record,
				answer: !a['arrive-only'],
				images: a.images
			});
			acknowledged.push(...out.acknowledged);
		} catch (e) {
			failedParticipants++;
			console.error(`participant ${i}: ${(e as Error).message}`);
		}
	})
);
const seconds = (performance.now() - t0) / 1000;
const cpu1 = cpuSeconds(target, servers);
const client = process.cpuUsage(client0);
for (const s of servers) await stopInstance(s);
const check = await verify(target, slug, acknowledged);
await dropTarget(target);
await s3?.stop();

const report = {
	config: {
		db: kind,
		instances,
		blobs: a.blobs,
		participants,
		burst,
		windowS,
		thinkMs,
		build: a.build,
		arriveOnly: a['arrive-only'],
		warm: Number(a.warm),
		images: a.images
	},
	seconds: Math.round(seconds * 10) / 10,
	answersPerSecond: Math.round(acknowledged.length / seconds),
	// App + database CPU for the whole run, per participant (arrival, page, answers, completion).
	cpuMsPerParticipant: {
		app: Math.round(((cpu1.app - cpu0.app) / participants) * 10000) / 10,
		db: Math.round(((cpu1.db - cpu0.db) / participants) * 10000) / 10,
		// This load generator, on the same cores.
		client: Math.round(((client.user + client.system) / 1000 / participants) * 10) / 10
	},
	requests,
	errorRate: requests ? Math.round((errors / requests) * 10000) / 100 : 0,
	failedParticipants,
	latencyMs: {
		answer: summarize(lat.answer),
		questionPage: summarize(lat.page),
		consent: summarize(lat.start),
		// With --images: the question page's data and its first screen's images, then every image.
		...(a.images ? { firstScreen: summarize(lat.screen), image: summarize(lat.image) } : {})
	},
	check: {
		...check,
		lost: check.acknowledged - check.found,
		extra: check.rowsInTable - check.found
	}
};
console.info(JSON.stringify(report, null, 2));
if (report.check.lost !== 0 || report.check.duplicates !== 0 || report.check.extra !== 0) {
	console.error('FAILED: answers lost or doubled');
	process.exit(1);
}
