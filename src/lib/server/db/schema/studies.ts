import {
	boolean,
	index,
	integer,
	jsonb,
	pgEnum,
	pgTable,
	primaryKey,
	text,
	timestamp,
	unique,
	uuid
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { methods, samples } from './generation';
import { subjects } from './subjects';

export const studyState = pgEnum('study_state', ['draft', 'open', 'paused', 'closed']);
export const choice = pgEnum('choice', ['left', 'right', 'undecided']);

export interface StudyQuestion {
	key: string;
	text: string;
}

/** The paper's four judgements (Appendix B); wording is editable per study. */
export const DEFAULT_QUESTIONS: StudyQuestion[] = [
	{
		key: 'subject',
		text: 'Which image shows the subject more faithfully, compared with the reference images?'
	},
	{
		key: 'disentanglement',
		text: 'Which image is less influenced by things in the reference images that are not the subject (background, other objects)?'
	},
	{ key: 'text', text: 'Which image matches the text prompt better?' },
	{ key: 'overall', text: 'Overall, which image do you prefer?' }
];

export const studies = pgTable('studies', {
	id: uuid().primaryKey().defaultRandom(),
	slug: text().notNull().unique(),
	title: text().notNull(),
	instructions: text().notNull().default(''),
	consent: text().notNull().default(''),
	state: studyState().notNull().default('draft'),
	subjectsPerParticipant: integer().notNull().default(10),
	targetCompletions: integer(),
	completionCode: text().notNull().default(''),
	/** May contain {code}, replaced by the completion code (e.g. Prolific's ?cc=). */
	redirectUrl: text(),
	/** A participant who spends less than this per answer on average (server time) is a speeder. */
	speederMsPerQuestion: integer().notNull().default(1500),
	attentionCheck: boolean().notNull().default(false),
	/** Attention checks per participant when enabled, on screens drawn at random per participant. */
	attentionChecks: integer().notNull().default(2),
	/** The instructed answer of the attention check. */
	attentionAnswer: choice().notNull().default('undecided'),
	questions: jsonb().$type<StudyQuestion[]>().notNull().default(DEFAULT_QUESTIONS),
	/**
	 * The preregistration snapshot: the study's whole configuration as frozen when it first
	 * opened, and the sha256 of its canonical JSON (shown on the results page and in exports).
	 */
	preregistration: jsonb().$type<Record<string, unknown>>(),
	preregistrationHash: text(),
	/** Demo studies show participants that their images are stand-ins, not generated outputs. */
	standInImages: boolean().notNull().default(false),
	/**
	 * What a new browser presenting a known recruiter id without Prolific session proof gets:
	 * asked for the participant's resume code, or refused outright (studies where one id must
	 * never move to another device).
	 */
	unprovenResume: text().$type<'ask-code' | 'refuse'>().notNull().default('ask-code'),
	createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});

/** The methods a study compares; position 0 and 1 are the pair shown as A/B. */
export const studyMethods = pgTable(
	'study_methods',
	{
		studyId: uuid()
			.notNull()
			.references(() => studies.id, { onDelete: 'cascade' }),
		methodId: uuid()
			.notNull()
			.references(() => methods.id),
		position: integer().notNull()
	},
	(t) => [primaryKey({ columns: [t.studyId, t.methodId] })]
);

/** One comparison: a subject, a prompt and one sample of each of two methods. */
export const items = pgTable(
	'items',
	{
		id: uuid().primaryKey().defaultRandom(),
		studyId: uuid()
			.notNull()
			.references(() => studies.id, { onDelete: 'cascade' }),
		subjectId: uuid()
			.notNull()
			.references(() => subjects.id),
		prompt: text().notNull(),
		sampleAId: uuid()
			.notNull()
			.references(() => samples.id),
		sampleBId: uuid()
			.notNull()
			.references(() => samples.id)
	},
	(t) => [unique().on(t.studyId, t.sampleAId, t.sampleBId), index().on(t.studyId, t.subjectId)]
);

/**
 * The study's balanced schedule, worked out ahead of arrivals (studies/slots.ts): slot n is
 * what the n-th participant sees (items in screen order, and for each whether sample A goes
 * left). An arrival claims the lowest free slot with SKIP LOCKED, so simultaneous arrivals
 * never wait on each other, and the claimed slots are always 0…N-1, whose schedule is
 * balanced for every N.
 */
export const assignmentSlots = pgTable(
	'assignment_slots',
	{
		studyId: uuid()
			.notNull()
			.references(() => studies.id, { onDelete: 'cascade' }),
		n: integer().notNull(),
		itemIds: uuid().array().notNull(),
		aOnLeft: boolean().array().notNull(),
		participantId: uuid().references(() => participants.id, { onDelete: 'set null' })
	},
	(t) => [
		primaryKey({ columns: [t.studyId, t.n] }),
		index('assignment_slots_free')
			.on(t.studyId, t.n)
			.where(sql`participant_id is null`)
	]
);

export const participants = pgTable(
	'participants',
	{
		id: uuid().primaryKey().defaultRandom(),
		studyId: uuid()
			.notNull()
			.references(() => studies.id, { onDelete: 'cascade' }),
		/** Shown to admins instead of any external id. */
		pseudonym: text().notNull(),
		/** PROLIFIC_PID, MTurk workerId or a generic pid: one participant per study and id. */
		externalId: text(),
		externalIds: jsonb().$type<Record<string, string>>().notNull().default({}),
		/** SHA-256 of a personal single-use link token, for batches of personal links. */
		linkTokenHash: text().unique(),
		/** Shown to the participant; another browser presenting their recruiter id must give it. */
		resumeCode: text(),
		preview: boolean().notNull().default(false),
		consentedAt: timestamp({ withTimezone: true }),
		startedAt: timestamp({ withTimezone: true }),
		completedAt: timestamp({ withTimezone: true }),
		attentionFailed: boolean(),
		speeder: boolean(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [unique().on(t.studyId, t.externalId), index().on(t.studyId)]
);

/** Browser cookies of a participant (several devices may resume one participant); hashes only. */
export const participantTokens = pgTable('participant_tokens', {
	tokenHash: text().primaryKey(),
	participantId: uuid()
		.notNull()
		.references(() => participants.id, { onDelete: 'cascade' }),
	createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});

/**
 * Every time a browser without the participant's cookie presented a known recruiter id: how
 * it proved to be the same person ('session': the same Prolific SESSION_ID, 'code': the
 * resume code) or that it was refused. Shown in the live view; refusals also throttle codes.
 */
export const participantResumes = pgTable(
	'participant_resumes',
	{
		id: uuid().primaryKey().defaultRandom(),
		studyId: uuid()
			.notNull()
			.references(() => studies.id, { onDelete: 'cascade' }),
		participantId: uuid()
			.notNull()
			.references(() => participants.id, { onDelete: 'cascade' }),
		outcome: text().$type<'session' | 'code' | 'refused'>().notNull(),
		at: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index().on(t.studyId, t.at), index().on(t.participantId)]
);

/** Fixed at assignment time: which item, in which order, with which sample on the left. */
export const assignments = pgTable(
	'assignments',
	{
		id: uuid().primaryKey().defaultRandom(),
		participantId: uuid()
			.notNull()
			.references(() => participants.id, { onDelete: 'cascade' }),
		itemId: uuid()
			.notNull()
			.references(() => items.id),
		position: integer().notNull(),
		leftSampleId: uuid()
			.notNull()
			.references(() => samples.id),
		rightSampleId: uuid()
			.notNull()
			.references(() => samples.id)
	},
	(t) => [unique().on(t.participantId, t.itemId), unique().on(t.participantId, t.position)]
);

export const responses = pgTable(
	'responses',
	{
		/** Generated by the browser, so a retried or doubled submit stores one row. */
		id: uuid().primaryKey(),
		assignmentId: uuid()
			.notNull()
			.references(() => assignments.id, { onDelete: 'cascade' }),
		/** A question key of the study, or 'attention' for the attention check. */
		question: text().notNull(),
		choice: choice().notNull(),
		chosenMethodId: uuid().references(() => methods.id),
		clientMs: integer().notNull(),
		receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [unique().on(t.assignmentId, t.question)]
);

export type Study = typeof studies.$inferSelect;
export type StudyState = (typeof studyState.enumValues)[number];
export type Choice = (typeof choice.enumValues)[number];
export type Item = typeof items.$inferSelect;
export type Participant = typeof participants.$inferSelect;
export type Assignment = typeof assignments.$inferSelect;
export type Response = typeof responses.$inferSelect;
