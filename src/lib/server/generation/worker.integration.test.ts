import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeImage } from '../testing/images';
import { freePort } from '../testing/processes';

/**
 * The whole loop for real: the built app (`node server.js`, PGlite) and the Python worker from
 * gpu-service/ with tiny random-weight models on the CPU. An admin creates a worker token
 * and a run over HTTP, a worker trains and samples it, the samples show up in the app; a
 * worker SIGKILLed mid-job loses its lease, a second worker re-leases the job, and the run
 * ends with exactly one set of samples.
 *
 * Needs the gpu-service virtualenv (`bash gpu-service/scripts/setup.sh`); without it the
 * test is skipped. SID_GPU_PYTHON and SID_GPU_SERVICE_DIR point elsewhere if needed.
 */

const ROOT = process.cwd();
const SERVICE = resolve(process.env.SID_GPU_SERVICE_DIR ?? join(ROOT, 'gpu-service'));
const PYTHON = process.env.SID_GPU_PYTHON ?? join(SERVICE, '.venv', 'bin', 'python');
const READY = existsSync(PYTHON) && existsSync(join(SERVICE, 'sid_gpu', 'cli.py'));
/** Set in beforeAll: a free port, so another checkout's run of this test cannot answer ours. */
let APP = '';
const ADMIN = { email: 'it-admin@example.org', password: 'it-admin-password-1' };
const LEASE_SECONDS = 4;

const children: ChildProcess[] = [];
const logs = new Map<ChildProcess, string[]>();

function start(cmd: string, args: string[], env: Record<string, string>): ChildProcess {
	const base = { ...process.env };
	// The app must use its own embedded database, not the test PostgreSQL.
	delete base.DATABASE_URL;
	const child = spawn(cmd, args, { cwd: ROOT, env: { ...base, ...env } });
	const lines: string[] = [];
	logs.set(child, lines);
	const keep = (b: Buffer) => {
		lines.push(b.toString());
		if (lines.length > 200) lines.shift();
	};
	child.stdout?.on('data', keep);
	child.stderr?.on('data', keep);
	children.push(child);
	return child;
}

const tail = (c: ChildProcess) => (logs.get(c) ?? []).join('').slice(-3000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms: number) {
	const end = Date.now() + ms;
	for (;;) {
		const v = await fn().catch(() => null);
		if (v) return v;
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await sleep(300);
	}
}

/** A signed-in admin talking to the app over HTTP, forms included. */
class Admin {
	cookie = '';
	async send(path: string, init: RequestInit = {}) {
		return fetch(APP + path, {
			...init,
			redirect: 'manual',
			// text/html: forms answer like a browser's submission (303 or the page), not as JSON.
			headers: { origin: APP, cookie: this.cookie, accept: 'text/html', ...(init.headers ?? {}) }
		});
	}
	async login() {
		const res = await this.send('/login', {
			method: 'POST',
			body: new URLSearchParams(ADMIN),
			headers: { 'content-type': 'application/x-www-form-urlencoded' }
		});
		expect(res.status).toBe(303);
		this.cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
		expect(this.cookie).toMatch(/^sid_session=/);
	}
	async form(path: string, fields: [string, string | Blob, string?][]) {
		const body = new FormData();
		for (const [k, v, name] of fields) {
			if (typeof v === 'string') body.append(k, v);
			else body.append(k, v, name);
		}
		return this.send(path, { method: 'POST', body });
	}
	async runs() {
		const res = await this.send('/api/admin/generation/runs');
		expect(res.status).toBe(200);
		return (await res.json()).runs as {
			id: string;
			state: string;
			attempts: number;
			samples: number;
			expectedSamples: number;
			progress: { stage?: string; progress?: number } | null;
			lastError: string | null;
			settings: string | null;
		}[];
	}
}

function worker(token: string, name: string, models: string, cache: string): ChildProcess {
	return start(
		PYTHON,
		[
			'-c',
			'import sys; from sid_gpu.cli import main; sys.exit(main())',
			'worker',
			'--app-url',
			APP,
			'--token',
			token,
			'--name',
			name,
			'--model-dir',
			models,
			'--device',
			'cpu',
			'--class-image-steps',
			'2',
			'--wait-seconds',
			'2',
			'--cache-dir',
			cache
		],
		// Few threads: on a small shared machine oversubscribed BLAS threads are far slower.
		{ PYTHONPATH: SERVICE, PYTHONUNBUFFERED: '1', OMP_NUM_THREADS: '2', MKL_NUM_THREADS: '2' }
	);
}

describe.skipIf(!READY)('the app and a real worker (tiny models, CPU)', () => {
	let dir: string;
	let app: ChildProcess;
	const admin = new Admin();

	beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), 'sid-worker-it-'));
		// Test the current sources: build the app first (SID_IT_REUSE_BUILD=1 skips it while iterating).
		const build =
			process.env.SID_IT_REUSE_BUILD === '1'
				? { status: 0, stderr: '' }
				: spawnSync('npx', ['vite', 'build'], { cwd: ROOT, encoding: 'utf8' });
		if (build.status !== 0) throw new Error(`vite build failed:\n${build.stderr.slice(-3000)}`);
		const tiny = spawnSync(
			PYTHON,
			[
				'-c',
				'import sys; from sid_gpu.cli import main; sys.exit(main())',
				'tiny-models',
				join(dir, 'models')
			],
			{ cwd: ROOT, encoding: 'utf8', env: { ...process.env, PYTHONPATH: SERVICE } }
		);
		if (tiny.status !== 0) throw new Error(`tiny-models failed:\n${tiny.stderr.slice(-3000)}`);
		const port = await freePort();
		APP = `http://127.0.0.1:${port}`;
		app = start('node', ['server.js'], {
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: APP,
			DATA_DIR: join(dir, 'app'),
			ADMIN_EMAIL: ADMIN.email,
			ADMIN_PASSWORD: ADMIN.password,
			WORKER_LEASE_SECONDS: String(LEASE_SECONDS),
			BODY_SIZE_LIMIT: '50M'
		});
		await until('the app to listen', async () => (await fetch(`${APP}/login`)).ok, 60_000).catch(
			(e) => {
				throw new Error(`${e.message}\napp:\n${tail(app)}`);
			}
		);
		await admin.login();
	}, 600_000);

	afterAll(async () => {
		for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
		await sleep(500);
		for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it('takes a run from created to samples in the app, through a SIGKILLed worker', async () => {
		// A worker token, shown once on the admin page.
		const tokenPage = await (await admin.form('/admin/workers?/create', [['name', 'it']])).text();
		const token = tokenPage.match(/value="(sidw_[a-z0-9]+)"/)?.[1];
		expect(token).toBeTruthy();

		// A subject with two reference images.
		const created = await admin.form('/admin/subjects?/create', [
			['name', 'itdog'],
			['classNoun', 'dog'],
			['identifier', 'sks'],
			['kind', 'live']
		]);
		expect(created.status).toBe(303);
		const subjectPath = created.headers.get('location')!;
		const subjectId = subjectPath.split('/').pop()!;
		const images: [string, Blob, string][] = [];
		for (const [i, color] of [
			{ r: 200, g: 120, b: 40 },
			{ r: 90, g: 60, b: 30 }
		].entries()) {
			images.push([
				'images',
				new Blob([new Uint8Array(await makeImage('png', 48, color))]),
				`ref${i}.png`
			]);
		}
		expect((await admin.form(`${subjectPath}?/upload`, images)).status).toBe(200);

		// The baseline run through the "Generate comparison images" form.
		const page = await (await admin.send('/admin/generation')).text();
		const dreambooth = page.match(/<option value="([0-9a-f-]{36})"[^>]*>DreamBooth ·/)?.[1];
		expect(dreambooth).toBeTruthy();
		const generated = await admin.form('/admin/generation?/generate', [
			['requestId', crypto.randomUUID()],
			['subjectIds', subjectId],
			['methodA', dreambooth!],
			['promptSet', 'custom'],
			['prompts', 'a {identifier} {class} in the snow\na {identifier} {class} on the beach'],
			['seedsPerPrompt', '2'],
			['hp.dreambooth', '1'],
			['hp.dreambooth.steps', '12'],
			['hp.dreambooth.num_class_images', '2'],
			['hp.dreambooth.train_text_encoder', 'on'],
			['hp.dreambooth.prior_preservation', 'on'],
			['resolution', '32'],
			['inferenceSteps', '3'],
			['metrics', 'none'],
			['attentionMaps', 'on']
		]);
		expect(generated.status).toBe(200);
		expect(await generated.text()).toContain('Queued 1 run.');
		const [run] = await admin.runs();
		expect(run).toMatchObject({ state: 'queued', expectedSamples: 4, samples: 0 });

		// Worker 1 starts training; it is killed without a chance to report anything.
		const cache = join(dir, 'cache');
		const first = worker(token!, 'it/first', join(dir, 'models'), cache);
		await until(
			'worker 1 to be training',
			async () => {
				const r = (await admin.runs()).find((x) => x.id === run.id)!;
				if (r.state === 'done') throw new Error('finished before it could be killed');
				return (
					r.state === 'running' &&
					r.progress?.stage === 'training' &&
					(r.progress.progress ?? 0) > 0
				);
			},
			180_000
		).catch((e) => {
			throw new Error(`${e.message}\nworker 1:\n${tail(first)}`);
		});
		first.kill('SIGKILL');
		await until('worker 1 to die', async () => first.signalCode === 'SIGKILL', 10_000);

		// Worker 2 gets the job once the lease expires, and finishes it.
		const second = worker(token!, 'it/second', join(dir, 'models'), cache);
		let last: unknown = null;
		const done = await until(
			'the run to finish',
			async () => {
				const r = (await admin.runs()).find((x) => x.id === run.id)!;
				if (r.state === 'failed') throw new Error(`run failed: ${r.lastError}`);
				last = r;
				return r.state === 'done' ? r : null;
			},
			300_000
		).catch((e) => {
			throw new Error(
				`${e.message}\nlast seen: ${JSON.stringify(last)}\nworker 2:\n${tail(second)}\napp:\n${tail(app)}`
			);
		});
		expect(done.attempts).toBe(2);
		expect(done.samples).toBe(4);

		// The samples are visible in the gallery, and their images are served.
		const gallery = await (await admin.send(`/admin/generation/runs/${run.id}`)).text();
		const shown = [...gallery.matchAll(/<img src="\/img\/([0-9a-f]{64})\/512"/g)].map((m) => m[1]);
		expect(shown).toHaveLength(4);
		expect(gallery).toContain('a sks dog in the snow');
		const img = await admin.send(`/img/${shown[0]}/256`);
		expect(img.status).toBe(200);
		expect(img.headers.get('content-type')).toBe('image/webp');

		// A second recipe through the same form: LoRA DreamBooth with its own learning rate
		// and rank, trained and sampled by the surviving worker.
		const lora = page.match(/<option value="([0-9a-f-]{36})"[^>]*>LoRA DreamBooth ·/)?.[1];
		expect(lora).toBeTruthy();
		const loraForm = await admin.form('/admin/generation?/generate', [
			['requestId', crypto.randomUUID()],
			['subjectIds', subjectId],
			['methodA', lora!],
			['promptSet', 'custom'],
			['prompts', 'a {identifier} {class} in the snow'],
			['seedsPerPrompt', '2'],
			['hp.lora', '1'],
			['hp.lora.steps', '3'],
			['hp.lora.learning_rate', '0.001'],
			['hp.lora.lora_rank', '2'],
			['resolution', '32'],
			['inferenceSteps', '2'],
			['metrics', 'none']
		]);
		expect(await loraForm.text()).toContain('Queued 1 run.');
		const loraRun = (await admin.runs()).find((r) => r.id !== run.id)!;
		const loraDone = await until(
			'the LoRA run to finish',
			async () => {
				const r = (await admin.runs()).find((x) => x.id === loraRun.id)!;
				if (r.state === 'failed') throw new Error(`LoRA run failed: ${r.lastError}`);
				return r.state === 'done' ? r : null;
			},
			300_000
		).catch((e) => {
			throw new Error(`${e.message}\nworker 2:\n${tail(second)}`);
		});
		expect(loraDone).toMatchObject({
			samples: 2,
			settings: 'lr 1e-3 · 3 steps · batch 1 · rank 2'
		});

		// Nothing more arrives later: the killed worker's lease is dead for good.
		await sleep(LEASE_SECONDS * 1000);
		const after = (await admin.runs()).find((x) => x.id === run.id)!;
		expect(after).toMatchObject({ state: 'done', samples: 4, attempts: 2 });
	}, 900_000);
});
