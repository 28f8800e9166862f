/** One answer on its way to the server; the id is made here so retries are idempotent. */
export interface PendingAnswer {
	id: string;
	assignmentId: string;
	question: string;
	choice: 'left' | 'right' | 'undecided';
	clientMs: number;
}

export type SaveState = 'saved' | 'saving' | 'retrying' | 'failed';

/** A v4 UUID that also works outside secure contexts (crypto.randomUUID needs HTTPS). */
export function uuid(): string {
	const b = crypto.getRandomValues(new Uint8Array(16));
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Sends answers in order, one at a time, retrying network failures and server errors with
 * backoff until they are stored. Unsent answers are kept in localStorage, so a reload or a
 * crash of the tab sends them on the next visit instead of losing them.
 */
export class AnswerQueue {
	private pending: PendingAnswer[];
	private running = false;
	private readonly key: string;

	constructor(
		private readonly url: string,
		storageKey: string,
		private readonly onState: (state: SaveState, message?: string) => void
	) {
		this.key = storageKey;
		this.pending = this.load();
	}

	/** Answers stored locally but not yet confirmed, e.g. from before a reload. */
	get unsent(): PendingAnswer[] {
		return [...this.pending];
	}

	get idle(): boolean {
		return this.pending.length === 0;
	}

	push(a: PendingAnswer): void {
		this.pending.push(a);
		this.save();
		void this.run();
	}

	async run(): Promise<void> {
		if (this.running) return;
		this.running = true;
		let delay = 500;
		while (this.pending.length) {
			this.onState(delay > 500 ? 'retrying' : 'saving');
			const a = this.pending[0];
			let outcome: 'ok' | 'retry' | 'drop';
			let message = '';
			try {
				const res = await fetch(this.url, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(a)
				});
				outcome = res.ok ? 'ok' : res.status >= 500 || res.status === 429 ? 'retry' : 'drop';
				if (outcome === 'drop')
					message = ((await res.json().catch(() => ({}))) as { message?: string }).message ?? '';
			} catch {
				outcome = 'retry';
			}
			if (outcome === 'retry') {
				this.onState('retrying');
				await new Promise((r) => setTimeout(r, delay));
				delay = Math.min(delay * 2, 8000);
				continue;
			}
			delay = 500;
			this.pending.shift();
			this.save();
			if (outcome === 'drop') this.onState('failed', message);
		}
		this.running = false;
		this.onState('saved');
	}

	private load(): PendingAnswer[] {
		try {
			return JSON.parse(localStorage.getItem(this.key) ?? '[]') as PendingAnswer[];
		} catch {
			return [];
		}
	}

	private save(): void {
		try {
			localStorage.setItem(this.key, JSON.stringify(this.pending));
		} catch {
			// Storage may be full or disabled (private mode); sending still works.
		}
	}
}
