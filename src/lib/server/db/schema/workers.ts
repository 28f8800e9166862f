import { index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { blobs } from './blobs';
import { jobs } from './jobs';

/**
 * Bearer tokens of GPU workers. Only the SHA-256 of a token is kept, so a leaked table
 * cannot be used to pull jobs; revoking sets `revokedAt` and is checked on every call.
 */
export const workerTokens = pgTable('worker_tokens', {
	id: uuid().primaryKey().defaultRandom(),
	name: text().notNull(),
	tokenHash: text().notNull().unique(),
	createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
	createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	revokedAt: timestamp({ withTimezone: true }),
	lastSeenAt: timestamp({ withTimezone: true }),
	/** The `worker_name` of the last call, e.g. "gpu-node-17/slot-0". */
	lastWorkerName: text()
});

/**
 * Every lease handed to a worker: binds it to the token that claimed it (a worker can only
 * touch the job it holds) and keeps the answer to its final call, so a replayed `complete`
 * or `fail` gets the same answer and stores nothing new.
 */
export const workerLeases = pgTable(
	'worker_leases',
	{
		leaseId: uuid().primaryKey(),
		jobId: uuid()
			.notNull()
			.references(() => jobs.id, { onDelete: 'cascade' }),
		tokenId: uuid()
			.notNull()
			.references(() => workerTokens.id, { onDelete: 'cascade' }),
		workerName: text().notNull(),
		claimedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		/** 'complete' or 'fail' once the holder reported; null while it works. */
		outcome: text(),
		response: jsonb().$type<Record<string, unknown>>(),
		finishedAt: timestamp({ withTimezone: true })
	},
	(t) => [index().on(t.jobId), index().on(t.tokenId)]
);

/**
 * Which job each worker upload was made for: a `complete` may only name images uploaded under
 * its own job, never another blob that happens to exist (a participant's reference photo).
 * Uploading the same bytes again for a retried job adds a row for that job too.
 */
export const jobUploads = pgTable(
	'job_uploads',
	{
		jobId: uuid()
			.notNull()
			.references(() => jobs.id, { onDelete: 'cascade' }),
		sha256: text()
			.notNull()
			.references(() => blobs.sha256, { onDelete: 'cascade' }),
		/** The lease that uploaded it first, for the operator's questions. */
		leaseId: uuid().notNull(),
		uploadedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.jobId, t.sha256] })]
);

export type WorkerToken = typeof workerTokens.$inferSelect;
export type WorkerLease = typeof workerLeases.$inferSelect;
