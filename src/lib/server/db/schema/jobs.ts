import {
	boolean,
	index,
	integer,
	jsonb,
	pgEnum,
	pgTable,
	text,
	timestamp,
	uuid
} from 'drizzle-orm/pg-core';

export const jobState = pgEnum('job_state', [
	'queued',
	'running',
	'done',
	'failed',
	'dead',
	'cancelled'
]);

/**
 * Durable background work. `queue` separates in-app work ('app') from work that
 * external GPU workers pull ('gpu'). A running job whose lease expired is claimable again.
 */
export const jobs = pgTable(
	'jobs',
	{
		id: uuid().primaryKey().defaultRandom(),
		queue: text().notNull().default('app'),
		kind: text().notNull(),
		payload: jsonb().notNull().$type<unknown>(),
		state: jobState().notNull().default('queued'),
		attempts: integer().notNull().default(0),
		maxAttempts: integer().notNull().default(5),
		runAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		leaseId: uuid(),
		leaseExpiresAt: timestamp({ withTimezone: true }),
		lockedBy: text(),
		cancelRequested: boolean().notNull().default(false),
		progress: jsonb().$type<{ stage?: string; progress?: number; message?: string }>(),
		result: jsonb().$type<unknown>(),
		lastError: text(),
		dedupeKey: text().unique(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		finishedAt: timestamp({ withTimezone: true })
	},
	(t) => [index().on(t.queue, t.state, t.runAt)]
);

export type Job = typeof jobs.$inferSelect;
export type JobState = (typeof jobState.enumValues)[number];
