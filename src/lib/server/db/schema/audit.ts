import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';

/**
 * What admins and annotators did (logins, account and role changes, study state changes,
 * exports, caption approvals): who, when, what. Rows are only ever inserted; the actor's
 * email is copied so the trail still reads after an account is removed.
 */
export const auditEvents = pgTable(
	'audit_events',
	{
		id: uuid().primaryKey().defaultRandom(),
		at: timestamp({ withTimezone: true }).notNull().defaultNow(),
		actorId: uuid().references(() => users.id, { onDelete: 'set null' }),
		actorEmail: text().notNull(),
		action: text().notNull(),
		/** What the action was about, e.g. `study:<id>` or `user:<email>`. */
		target: text().notNull().default(''),
		detail: jsonb().$type<Record<string, unknown>>().notNull().default({}),
		address: text()
	},
	(t) => [index().on(t.at)]
);

export type AuditEvent = typeof auditEvents.$inferSelect;
