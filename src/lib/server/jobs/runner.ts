import type { Db } from '../db';
import type { Job } from '../db/schema';
import { buryExhausted, claim, complete, fail, heartbeat, type Progress } from './queue';
import { databaseUnavailable } from '../db/unavailable';

export interface JobContext {
	job: Job;
	/** Aborted when an admin cancels the job or the process shuts down. */
	signal: AbortSignal;
	report(progress: Progress): Promise<void>;
}

// These two are not refusals: nobody waits for an HTTP answer in a background job. They tell
// the runner what to do with the job (give up, or retry later), so they stay their own types.

/** Throw this for failures that retrying cannot fix (bad input, a refused request). */
export class PermanentJobError extends Error {}

/** Throw this to be retried no sooner than the given delay (e.g. an HTTP Retry-After). */
export class RetryLaterError extends Error {
	constructor(
		message: string,
		readonly retryAfterSeconds: number
	) {
		super(message);
	}
}

export interface Handler {
	run(ctx: JobContext): Promise<unknown>;
	concurrency?: number;
}

/**
 * Runs in-app jobs ('app' queue) in this process. Several processes may run it at once:
 * claims are atomic, and a job whose process died is re-leased when its lease expires.
 */
export class JobRunner {
	private readonly handlers = new Map<string, Handler>();
	private readonly active = new Map<string, { controller: AbortController; done: Promise<void> }>();
	private readonly busy = new Map<string, number>();
	private timer: ReturnType<typeof setTimeout> | undefined;
	private stopped = true;
	readonly owner = `app-${process.pid}-${crypto.randomUUID().slice(0, 8)}`;

	constructor(
		private readonly db: Db,
		private readonly opts: { leaseSeconds: number; pollMs?: number } = { leaseSeconds: 60 }
	) {}

	register(kind: string, handler: Handler): this {
		this.handlers.set(kind, handler);
		return this;
	}

	start(): void {
		if (!this.stopped) return;
		this.stopped = false;
		void this.tick();
	}

	/** Stops claiming, aborts running handlers and waits for them to settle. */
	async stop(): Promise<void> {
		this.stopped = true;
		if (this.timer) clearTimeout(this.timer);
		for (const { controller } of this.active.values()) controller.abort(new Error('shutting down'));
		await Promise.allSettled([...this.active.values()].map((a) => a.done));
	}

	private ticking = false;
	private tickAgain = false;

	private async tick(): Promise<void> {
		if (this.stopped) return;
		// One claim loop at a time, or two loops could both fill the last free slot of a kind.
		if (this.ticking) {
			this.tickAgain = true;
			return;
		}
		this.ticking = true;
		if (this.timer) clearTimeout(this.timer);
		try {
			await buryExhausted(this.db, 'app');
			let claimed = true;
			while (claimed && !this.stopped) {
				claimed = false;
				for (const [kind, handler] of this.handlers) {
					if ((this.busy.get(kind) ?? 0) >= (handler.concurrency ?? 1)) continue;
					const job = await claim(this.db, {
						queue: 'app',
						kinds: [kind],
						owner: this.owner,
						leaseSeconds: this.opts.leaseSeconds
					});
					if (job) {
						claimed = true;
						this.launch(job, handler);
					}
				}
			}
		} catch (e) {
			const down = databaseUnavailable(e);
			if (down) console.warn(`job runner: database unavailable (${down})`);
			else console.error('job runner: claim failed', (e as Error).message);
		} finally {
			this.ticking = false;
		}
		if (this.tickAgain) {
			this.tickAgain = false;
			return this.tick();
		}
		if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.opts.pollMs ?? 500);
	}

	private launch(job: Job, handler: Handler): void {
		const controller = new AbortController();
		this.busy.set(job.kind, (this.busy.get(job.kind) ?? 0) + 1);
		const leaseId = job.leaseId!;
		const beat = async (progress?: Progress) => {
			const hb = await heartbeat(this.db, job.id, leaseId, this.opts.leaseSeconds, progress);
			if (!hb) controller.abort(new Error('lease lost'));
			else if (hb.cancel) controller.abort(new Error('cancelled'));
		};
		const interval = setInterval(
			() => void beat().catch(() => {}),
			(this.opts.leaseSeconds * 1000) / 3
		);
		const done = (async () => {
			try {
				const result = await handler.run({ job, signal: controller.signal, report: beat });
				await complete(this.db, job.id, leaseId, result);
			} catch (e) {
				const err = e as Error;
				const reason = controller.signal.aborted ? (controller.signal.reason as Error) : undefined;
				await fail(this.db, job.id, leaseId, err.message ?? String(e), {
					retryable: !(e instanceof PermanentJobError),
					cancelled: reason?.message === 'cancelled',
					retryAfterSeconds: e instanceof RetryLaterError ? e.retryAfterSeconds : undefined
				}).catch((fe) => console.error('job runner: could not record failure', fe));
			} finally {
				clearInterval(interval);
				this.busy.set(job.kind, (this.busy.get(job.kind) ?? 1) - 1);
				this.active.delete(job.id);
				void this.tick();
			}
		})();
		this.active.set(job.id, { controller, done });
	}
}
