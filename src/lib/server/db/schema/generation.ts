import {
	index,
	integer,
	jsonb,
	pgEnum,
	pgTable,
	text,
	timestamp,
	unique,
	uuid
} from 'drizzle-orm/pg-core';
import { blobs } from './blobs';
import { jobs } from './jobs';
import { subjects } from './subjects';

/** A training recipe: "DreamBooth", "DreamBooth + SID", "Textual Inversion", ... */
export const methods = pgTable('methods', {
	id: uuid().primaryKey().defaultRandom(),
	name: text().notNull().unique(),
	/** The worker's training code for this method. */
	trainer: text().notNull().default('dreambooth'),
	/**
	 * Which of the paper's four description cases (Tab. 1) its training captions use. No default:
	 * a method has to name its case, and training one that does not is refused.
	 */
	descriptionCase: integer(),
	description: text().notNull().default(''),
	createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});

export const runSource = pgEnum('run_source', ['gpu', 'import']);
export const runState = pgEnum('run_state', ['queued', 'running', 'done', 'failed', 'cancelled']);

/** One trained model of a method on a subject (or, for imports, the images generated elsewhere). */
export const runs = pgTable(
	'runs',
	{
		id: uuid().primaryKey().defaultRandom(),
		methodId: uuid()
			.notNull()
			.references(() => methods.id),
		subjectId: uuid()
			.notNull()
			.references(() => subjects.id, { onDelete: 'cascade' }),
		source: runSource().notNull(),
		state: runState().notNull().default('queued'),
		jobId: uuid().references(() => jobs.id),
		/** Training and sampling settings as sent to the worker. */
		config: jsonb().$type<Record<string, unknown>>(),
		/** Aggregated metrics (subject alignment, non-subject disentanglement, text alignment). */
		metrics: jsonb().$type<Record<string, number>>(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		finishedAt: timestamp({ withTimezone: true })
	},
	(t) => [index().on(t.subjectId), index().on(t.methodId)]
);

/** One generated image: (run, prompt, seed) is unique, so a retried upload never duplicates it. */
export const samples = pgTable(
	'samples',
	{
		id: uuid().primaryKey().defaultRandom(),
		runId: uuid()
			.notNull()
			.references(() => runs.id, { onDelete: 'cascade' }),
		/** The generation prompt with the identifier, e.g. "a sks dog in the snow". */
		prompt: text().notNull(),
		seed: integer().notNull(),
		blobSha256: text()
			.notNull()
			.references(() => blobs.sha256),
		attentionMapSha256: text().references(() => blobs.sha256),
		metrics: jsonb().$type<Record<string, number>>(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [unique().on(t.runId, t.prompt, t.seed), index().on(t.runId)]
);

export type Method = typeof methods.$inferSelect;
export type Run = typeof runs.$inferSelect;
export type Sample = typeof samples.$inferSelect;
