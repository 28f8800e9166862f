import { boolean, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { studies } from './studies';

/** Who downloaded which study data, when, and with which options: exports hold personal data. */
export const exportLog = pgTable(
	'export_log',
	{
		id: uuid().primaryKey().defaultRandom(),
		studyId: uuid()
			.notNull()
			.references(() => studies.id, { onDelete: 'cascade' }),
		userId: uuid()
			.notNull()
			.references(() => users.id),
		/** csv, jsonl or bundle */
		format: text().notNull(),
		hashedExternalIds: boolean().notNull(),
		rules: jsonb().$type<Record<string, unknown>>().notNull(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index().on(t.studyId, t.createdAt)]
);

export type ExportLogEntry = typeof exportLog.$inferSelect;
