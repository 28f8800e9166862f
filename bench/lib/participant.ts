// A simulated study participant speaking the app's real HTTP API, as a browser would:
// the consent form, the question page's data, one POST per answer (retried with the same
// id until acknowledged), then completion.
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
	record: (kind: 'start' | 'page' | 'answer' | 'complete', ms: number, ok: boolean) => void;
	maxRetries?: number;
	/** false: stop after the question page (measures arrivals alone). */
	answer?: boolean;
}

export interface Outcome {
	acknowledged: string[];
	completed: boolean;
	failures: number;
}

export interface Screen {
	assignmentId: string;
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

export async function participate(o: Options): Promise<Outcome> {
	const retries = o.maxRetries ?? 20;
	const out: Outcome = { acknowledged: [], completed: false, failures: 0 };
	const cookie = await consent(o);
	const { screens, problems, answered } = await loadQuestions(o, cookie);
	if (o.answer === false) return out;

	// One answer at a time, each retried with the same id until the server acknowledges it.
	for (const p of problems) {
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
