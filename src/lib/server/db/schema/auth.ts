import { sql } from 'drizzle-orm';
import {
	boolean,
	index,
	integer,
	pgEnum,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uuid
} from 'drizzle-orm/pg-core';

export const role = pgEnum('role', ['admin', 'annotator']);

export const users = pgTable('users', {
	id: uuid().primaryKey().defaultRandom(),
	email: text().notNull().unique(),
	displayName: text().notNull(),
	role: role().notNull(),
	passwordHash: text(),
	disabled: boolean().notNull().default(false),
	createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});

/** Only the SHA-256 of a session token is stored: a leaked table cannot be replayed as cookies. */
export const sessions = pgTable(
	'sessions',
	{
		id: text().primaryKey(),
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		expiresAt: timestamp({ withTimezone: true }).notNull()
	},
	(t) => [index().on(t.userId)]
);

/** Single-use, expiring invitations; like sessions, only the token's hash is kept. */
export const invites = pgTable('invites', {
	tokenHash: text().primaryKey(),
	email: text().notNull(),
	role: role().notNull(),
	invitedBy: uuid()
		.notNull()
		.references(() => users.id),
	expiresAt: timestamp({ withTimezone: true }).notNull(),
	usedAt: timestamp({ withTimezone: true }),
	createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});

/** Failed-login counters, per account and per client address, shared by all app instances. */
export const loginThrottle = pgTable('login_throttle', {
	key: text().primaryKey(),
	failures: integer().notNull().default(0),
	lockedUntil: timestamp({ withTimezone: true }),
	updatedAt: timestamp({ withTimezone: true })
		.notNull()
		.default(sql`now()`)
});

/**
 * Browsers that signed in to an account before (a long-lived cookie; only its hash here).
 * An attacker's wrong guesses lock the account for unknown browsers, never for these, so
 * nobody can keep a researcher out of their own account during a study.
 */
export const knownDevices = pgTable(
	'known_devices',
	{
		tokenHash: text().primaryKey(),
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index().on(t.userId)]
);

/**
 * Addresses an account signed in from before: like a known browser, a sign-in from one of
 * them is not held by the account-wide lock that strangers' guesses set (a researcher whose
 * browser forgot its cookie still gets in from the office), and has a counter of its own.
 */
export const knownAddresses = pgTable(
	'known_addresses',
	{
		userId: uuid()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		address: text().notNull(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.userId, t.address] })]
);

export type User = typeof users.$inferSelect;
export type Role = (typeof role.enumValues)[number];
