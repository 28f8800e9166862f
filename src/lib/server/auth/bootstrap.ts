import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { users } from '../db/schema';
import { config } from '../config';
import { createUser, normalizeEmail } from './users';

/** First start: ADMIN_EMAIL + ADMIN_PASSWORD create the admin once; later starts leave it alone. */
export async function bootstrapAdminFromEnv(db: Db): Promise<void> {
	const { ADMIN_EMAIL, ADMIN_PASSWORD } = config();
	if (!ADMIN_EMAIL || !ADMIN_PASSWORD) return;
	const [existing] = await db
		.select({ id: users.id })
		.from(users)
		.where(eq(users.email, normalizeEmail(ADMIN_EMAIL)));
	if (existing) return;
	await createUser(db, {
		email: ADMIN_EMAIL,
		displayName: 'Admin',
		role: 'admin',
		password: ADMIN_PASSWORD
	});
	console.info(`Created admin ${ADMIN_EMAIL} from ADMIN_EMAIL/ADMIN_PASSWORD.`);
}
