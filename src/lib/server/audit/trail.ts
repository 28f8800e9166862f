import { desc, eq } from 'drizzle-orm';
import type { Db, Tx } from '../db';
import { auditEvents, users, type AuditEvent } from '../db/schema';
import { csvLines } from '../exports/csv';

/**
 * The audit trail: what admins and annotators did, in the database beside the data it is
 * about, so a researcher can answer "who exported this, who approved that caption, who
 * opened the study" long after the server's logs are gone. Refusals and failed logins go to
 * the security log (security-log.ts) instead; this is the record of what was done.
 */
export type AuditAction =
	| 'login'
	| 'logout'
	| 'password.change'
	| 'password.reset'
	| 'user.invite'
	| 'user.join'
	| 'user.disable'
	| 'user.enable'
	| 'study.state'
	| 'study.export'
	| 'subject.export'
	| 'audit.export'
	| 'caption.approve'
	| 'caption.reject';

export interface AuditInput {
	actorId: string | null;
	action: AuditAction;
	target?: string;
	detail?: Record<string, unknown>;
	address?: string | null;
}

/** Appends one event; the actor's email is copied so the row still reads after they leave. */
export async function recordAudit(db: Db | Tx, e: AuditInput): Promise<void> {
	let actorEmail = 'system';
	if (e.actorId) {
		const [u] = await db.select({ email: users.email }).from(users).where(eq(users.id, e.actorId));
		actorEmail = u?.email ?? 'unknown';
	}
	await db.insert(auditEvents).values({
		actorId: e.actorId,
		actorEmail,
		action: e.action,
		target: (e.target ?? '').slice(0, 300),
		detail: e.detail ?? {},
		address: e.address?.slice(0, 100) ?? null
	});
}

/** The newest events first, a page at a time. */
export async function listAudit(
	db: Db,
	opts: { limit?: number; offset?: number } = {}
): Promise<AuditEvent[]> {
	return db
		.select()
		.from(auditEvents)
		.orderBy(desc(auditEvents.at), desc(auditEvents.id))
		.limit(Math.min(opts.limit ?? 100, 1000))
		.offset(opts.offset ?? 0);
}

/** Everything up to the moment the export began (later events would shift the pages). */
async function* allEvents(db: Db): AsyncGenerator<AuditEvent> {
	const until = new Date();
	for (let offset = 0; ; offset += 1000) {
		const page = await listAudit(db, { limit: 1000, offset });
		yield* page.filter((e) => e.at <= until);
		if (page.length < 1000) return;
	}
}

/** The whole trail as CSV (formula injection neutralised by csvLines), newest first. */
export function auditCsv(db: Db): AsyncGenerator<string> {
	return csvLines<AuditEvent>(
		[
			{ name: 'at', value: (e) => e.at },
			{ name: 'actor', value: (e) => e.actorEmail },
			{ name: 'action', value: (e) => e.action },
			{ name: 'target', value: (e) => e.target },
			{ name: 'detail', value: (e) => JSON.stringify(e.detail) },
			{ name: 'address', value: (e) => e.address }
		],
		allEvents(db)
	);
}
