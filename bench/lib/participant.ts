// A simulated study participant speaking the app's real HTTP API, as a browser would:
// the consent form, the question page's data (and, with `images`, each screen's images),
// one POST per answer (retried with the same id until acknowledged), then completion.
import { unflatten } from 'devalue';
import { send, type Reply } from './http';

export interface Options {
	/** Base URLs of the app instances; each request goes to a random one. */
	bases: string[];
	slug: string;
	pid: string;
	/** Think time between answers in ms (0 = as fast as possible). */
	thinkMs: number;
	/** Called with (kind, ms, ok) for every request. */
	record: (
		kind: 'start' | 'page' | 'answer' | 'complete' | 'image' | 'screen',
		ms: number,
		ok: boolean
	) => void;
	maxRetries?: number;
	/** false: stop after the question page (measures arrivals alone). */
	answer?: boolean;
	/**
	 * Load images as the question page does: the first screen's before it counts as shown
	 * ('screen': the page's data and its images), each next screen's while the one before is
	 * answered, every image once (the browser keeps them: they are cached as immutable).
	 */
	images?: boolean;
}

export interface Outcome {
	acknowledged: string[];
	completed: boolean;
	failures: number;
}

export interface Screen {
	assignmentId: string;
	left: string;
	right: string;
	references: string[];
}
export interface Problem {
	screen: number;
	question: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];

async function timed(
	kind: Parameters<Options['record']>[0],
	o: Options,
	run: () => Promise<Reply>
): Promise<Reply | null> {
	const t = performance.now();
	try {
		const r = await run();
		o.record(kind, performance.now() - t, r.status < 500);
		return r;
	} catch {
		o.record(kind, performance.now() - t, false);
		return null;
	}
}

/** A made-up client address per participant id (10.x.y.z), the same on every retry. */
function addressOf(pid: string): string {
	let h = 0;
	for (const c of pid) h = (h * 31 + c.charCodeAt(0)) >>> 0;
	return `10.${(h >> 16) & 255}.${(h >> 8) & 255}.${h & 255}`;
}

/** The consent form's POST (which assigns the items); returns the participant's cookie. */
export async function consent(o: Options): Promise<string> {
	const retries = o.maxRetries ?? 20;
	let cookie = '';

	for (let attempt = 0; !cookie; attempt++) {
		if (attempt > retries) throw new Error('could not start');
		const base = pick(o.bases);
		const body = new URLSearchParams({
			consent: 'yes',
			PROLIFIC_PID: o.pid,
			STUDY_ID: 'load',
			SESSION_ID: o.pid
		});
		const r = await timed('start', o, () =>
			send(`${base}/s/${o.slug}?/start`, {
				method: 'POST',
				body: body.toString(),
				headers: {
					origin: base,
					'content-type': 'application/x-www-form-urlencoded',
					'x-forwarded-for': addressOf(o.pid)
				}
			})
		);
		const set = r?.headers['set-cookie']?.find((c) => c.startsWith(`sid_p_${o.slug}=`));
		if (set) cookie = set.split(';')[0];
		else await sleep(200 * (attempt + 1));
	}
	return cookie;
}

export interface Questions {
	screens: Screen[];
	problems: Problem[];
	answered: Set<string>;
}

/** The question page's data (what the browser loads first). */
export async function loadQuestions(o: Options, cookie: string): Promise<Questions> {
	const retries = o.maxRetries ?? 20;
	let screens: Screen[] = [];
	let problems: Problem[] = [];
	let answered = new Set<string>();
	for (let attempt = 0; screens.length === 0; attempt++) {
		if (attempt > retries) throw new Error('could not load questions');
		const base = pick(o.bases);
		const r = await timed('page', o, () =>
			send(`${base}/s/${o.slug}/q/__data.json`, { headers: { cookie } })
		);
		if (!r || r.status !== 200) {
			await sleep(200 * (attempt + 1));
			continue;
		}
		const payload = JSON.parse(r.body) as { nodes: ({ type: string; data: unknown[] } | null)[] };
		for (const node of payload.nodes) {
			if (node?.type !== 'data') continue;
			const data = unflatten(node.data) as {
				screens?: Screen[];
				problems?: Problem[];
				answered?: { assignmentId: string; question: string }[];
			};
			if (data.screens && data.problems) {
				screens = data.screens;
				problems = data.problems;
				answered = new Set((data.answered ?? []).map((a) => `${a.assignmentId}/${a.question}`));
			}
		}
	}
	return { screens, problems, answered };
}

/** The images of `screen` this participant has not loaded yet, in parallel; true when all came. */
async function loadImages(o: Options, screen: Screen | undefined, seen: Set<string>) {
	if (!screen) return true;
	const paths = [
		`/img/${screen.left}/512`,
		`/img/${screen.right}/512`,
		...screen.references.map((sha) => `/img/${sha}/256`)
	].filter((p) => !seen.has(p));
	for (const p of paths) seen.add(p);
	const replies = await Promise.all(
		paths.map((p) => timed('image', o, () => send(`${pick(o.bases)}${p}`, { discard: true })))
	);
	return replies.every((r) => r?.status === 200);
}

export async function participate(o: Options): Promise<Outcome> {
	const retries = o.maxRetries ?? 20;
	const out: Outcome = { acknowledged: [], completed: false, failures: 0 };
	const cookie = await consent(o);
	const shownFrom = performance.now();
	const { screens, problems, answered } = await loadQuestions(o, cookie);
	const seen = new Set<string>();
	const prefetches: Promise<boolean>[] = [];
	if (o.images) {
		const ok = await loadImages(o, screens[0], seen);
		o.record('screen', performance.now() - shownFrom, ok);
		prefetches.push(loadImages(o, screens[1], seen));
	}
	if (o.answer === false) {
		await Promise.all(prefetches);
		return out;
	}

	// One answer at a time, each retried with the same id until the server acknowledges it.
	let current = 0;
	for (const p of problems) {
		if (o.images && p.screen !== current) {
			current = p.screen;
			prefetches.push(loadImages(o, screens[current + 1], seen));
		}
		const assignmentId = screens[p.screen].assignmentId;
		if (answered.has(`${assignmentId}/${p.question}`)) continue;
		if (o.thinkMs > 0) await sleep(o.thinkMs * (0.5 + Math.random()));
		const answer = {
			id: crypto.randomUUID(),
			assignmentId,
			question: p.question,
			choice: pick(['left', 'right', 'undecided']),
			clientMs: Math.round(o.thinkMs || 50)
		};
		for (let attempt = 0; ; attempt++) {
			if (attempt > retries) throw new Error('answer never acknowledged');
			const base = pick(o.bases);
			const r = await timed('answer', o, () =>
				send(`${base}/api/s/${o.slug}/answers`, {
					method: 'POST',
					body: JSON.stringify(answer),
					headers: { cookie, origin: base, 'content-type': 'application/json' }
				})
			);
			if (r && (r.status === 200 || r.status === 201)) {
				const stored = JSON.parse(r.body) as { id: string };
				out.acknowledged.push(stored.id);
				break;
			}
			out.failures++;
			if (r && r.status < 500 && r.status !== 429)
				throw new Error(`answer refused: ${r.status} ${r.body}`);
			await sleep(Math.min(2000, 100 * 2 ** attempt));
		}
	}

	await Promise.all(prefetches);
	// Completion.
	for (let attempt = 0; attempt <= retries && !out.completed; attempt++) {
		const base = pick(o.bases);
		const r = await timed('complete', o, () =>
			send(`${base}/api/s/${o.slug}/complete`, {
				method: 'POST',
				headers: { cookie, origin: base }
			})
		);
		if (r && r.status >= 200 && r.status < 300) out.completed = true;
		else await sleep(200 * (attempt + 1));
	}
	return out;
}
