import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Metadata of content-addressed images; the bytes live in the blob store under the same sha256. */
export const blobs = pgTable('blobs', {
	sha256: text().primaryKey(),
	mime: text().notNull(),
	width: integer().notNull(),
	height: integer().notNull(),
	bytes: integer().notNull(),
	createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});

export type Blob = typeof blobs.$inferSelect;
