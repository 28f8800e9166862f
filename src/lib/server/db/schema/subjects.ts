import {
	index,
	integer,
	pgEnum,
	pgTable,
	text,
	timestamp,
	unique,
	uuid
} from 'drizzle-orm/pg-core';
import { blobs } from './blobs';

export const subjectKind = pgEnum('subject_kind', ['object', 'live', 'style']);

/** The thing being personalized: a class noun, an identifier token (the paper's [v]) and reference images. */
export const subjects = pgTable('subjects', {
	id: uuid().primaryKey().defaultRandom(),
	name: text().notNull().unique(),
	classNoun: text().notNull(),
	identifier: text().notNull().default('sks'),
	kind: subjectKind().notNull().default('object'),
	createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});

export const referenceImages = pgTable(
	'reference_images',
	{
		id: uuid().primaryKey().defaultRandom(),
		subjectId: uuid()
			.notNull()
			.references(() => subjects.id, { onDelete: 'cascade' }),
		blobSha256: text()
			.notNull()
			.references(() => blobs.sha256),
		maskSha256: text().references(() => blobs.sha256),
		filename: text().notNull(),
		position: integer().notNull().default(0),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [unique().on(t.subjectId, t.blobSha256), index().on(t.subjectId)]
);

export type Subject = typeof subjects.$inferSelect;
export type SubjectKind = (typeof subjectKind.enumValues)[number];
export type ReferenceImage = typeof referenceImages.$inferSelect;
