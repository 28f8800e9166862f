import {
	boolean,
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
import { users } from './auth';
import { referenceImages } from './subjects';
import type { SidStructure } from '../../../captions/structure';

/** Which instruction preset a draft came from: the paper's (default), the detailed one, the style variant (C.1), or the expression helper (D.2). */
export const vlmInstructionPurpose = pgEnum('vlm_instruction_purpose', [
	'paper',
	'sid',
	'style',
	'expression',
	'selectivity'
]);

/** Instruction texts are versioned data: an edit adds a version, drafts keep pointing at the one they used. */
export const vlmInstructions = pgTable(
	'vlm_instructions',
	{
		id: uuid().primaryKey().defaultRandom(),
		purpose: vlmInstructionPurpose().notNull(),
		version: integer().notNull(),
		text: text().notNull(),
		createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [unique().on(t.purpose, t.version)]
);

export const captionStatus = pgEnum('caption_status', [
	'pending',
	'failed',
	'review',
	'approved',
	'rejected'
]);

export type { SidStructure };

export interface VlmVerdict {
	sid: string;
	describesSubject: boolean;
	words: string;
	model: string;
	at: string;
}

export interface CaptionFlag {
	code: string;
	message: string;
}

/**
 * The current descriptions of one reference image (cases 2-4 of the paper's Tab. 1; case 1 is
 * built from the subject). `version` grows with every change so a stale save is detected.
 */
export const captions = pgTable(
	'captions',
	{
		referenceImageId: uuid()
			.primaryKey()
			.references(() => referenceImages.id, { onDelete: 'cascade' }),
		status: captionStatus().notNull().default('pending'),
		version: integer().notNull().default(0),
		caseTwo: text(),
		sid: text(),
		caseFour: text(),
		/** The reviewed structure cases 2-4 are composed from; the three texts are kept in step with it. */
		structure: jsonb().$type<SidStructure>(),
		/** Cases 2 and 4 approved on their own (case 3's approval is `status`); any edit clears them. */
		approvedCases: jsonb().$type<number[]>().notNull().default([]),
		expression: text(),
		flags: jsonb().$type<CaptionFlag[]>().notNull().default([]),
		overrideReason: text(),
		rejectReason: text(),
		draftError: text(),
		model: text(),
		instructionId: uuid().references(() => vlmInstructions.id),
		/** The job that wrote the current draft: a re-run of that job after a crash skips the call. */
		draftJobId: uuid(),
		suggestedExpression: text(),
		/** The optional second VLM pass on the SID: its verdict, for the SID text it judged. */
		vlmVerdict: jsonb().$type<VlmVerdict>(),
		leaseUserId: uuid().references(() => users.id, { onDelete: 'set null' }),
		leaseExpiresAt: timestamp({ withTimezone: true }),
		updatedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
		updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		approvedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
		approvedAt: timestamp({ withTimezone: true })
	},
	(t) => [index().on(t.status)]
);

/** Every change to a caption: who, when, before, after, and whether a model or a person made it. */
export const captionHistory = pgTable(
	'caption_history',
	{
		id: uuid().primaryKey().defaultRandom(),
		referenceImageId: uuid()
			.notNull()
			.references(() => referenceImages.id, { onDelete: 'cascade' }),
		version: integer().notNull(),
		action: text().notNull(),
		source: text().$type<'model' | 'person'>().notNull(),
		userId: uuid().references(() => users.id, { onDelete: 'set null' }),
		model: text(),
		before: jsonb().$type<Record<string, unknown> | null>(),
		after: jsonb().$type<Record<string, unknown> | null>(),
		reason: text(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index().on(t.referenceImageId)]
);

/** One row per VLM request, failed ones included, with the token usage the server reported. */
export const vlmCalls = pgTable(
	'vlm_calls',
	{
		id: uuid().primaryKey().defaultRandom(),
		referenceImageId: uuid().references(() => referenceImages.id, { onDelete: 'set null' }),
		jobId: uuid(),
		purpose: vlmInstructionPurpose().notNull(),
		model: text().notNull(),
		instructionId: uuid().references(() => vlmInstructions.id),
		ok: boolean().notNull(),
		error: text(),
		promptTokens: integer().notNull().default(0),
		completionTokens: integer().notNull().default(0),
		totalTokens: integer().notNull().default(0),
		durationMs: integer().notNull().default(0),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index().on(t.referenceImageId)]
);

export type Caption = typeof captions.$inferSelect;
export type CaptionStatus = (typeof captionStatus.enumValues)[number];
export type VlmInstruction = typeof vlmInstructions.$inferSelect;
export type VlmPurpose = (typeof vlmInstructionPurpose.enumValues)[number];
