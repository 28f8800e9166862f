import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../db';
import { invites, users, type Role, type User } from '../db/schema';
import { config } from '../config';
import { createUser, normalizeEmail } from './users';
import { generateToken, hashToken } from './tokens';
import { refuse } from '../http/refusal';

export async function createInvite(
	db: Db,
	invitedBy: string,
	email: string,
	role: Role = 'annotator'
): Promise<{ token: string; expiresAt: Date }> {
	const token = generateToken();
	const expiresAt = new Date(Date.now() + config().INVITE_HOURS * 3600 * 1000);
	await db.insert(invites).values({
		tokenHash: hashToken(token),
		email: normalizeEmail(email),
		role,
		invitedBy,
		expiresAt
	});
	return { token, expiresAt };
}

export async function findOpenInvite(db: Db, token: string) {
	const [row] = await db
		.select()
		.from(invites)
		.where(
			and(
				eq(invites.tokenHash, hashToken(token)),
				isNull(invites.usedAt),
				gt(invites.expiresAt, new Date())
			)
		);
	return row ?? null;
}

/** Single use: the invite is marked used in the same transaction that creates the account. */
export async function acceptInvite(
	db: Db,
	token: string,
	displayName: string,
	password: string
): Promise<User> {
	return db.transaction(async (tx) => {
		const [invite] = await tx
			.update(invites)
			.set({ usedAt: new Date() })
			.where(
				and(
					eq(invites.tokenHash, hashToken(token)),
					isNull(invites.usedAt),
					gt(invites.expiresAt, new Date())
				)
			)
			.returning();
		if (!invite) refuse(410, 'This invitation link is invalid, expired or already used.');
		const [taken] = await tx
			.select({ id: users.id })
			.from(users)
			.where(eq(users.email, invite.email));
		if (taken) refuse(409, 'An account with this email already exists.');
		return createUser(tx as unknown as Db, {
			email: invite.email,
			displayName,
			role: invite.role,
			password
		});
	});
}

export function listInvites(db: Db) {
	return db
		.select({
			email: invites.email,
			role: invites.role,
			expiresAt: invites.expiresAt,
			usedAt: invites.usedAt,
			createdAt: invites.createdAt
		})
		.from(invites)
		.orderBy(desc(invites.createdAt))
		.limit(50);
}
