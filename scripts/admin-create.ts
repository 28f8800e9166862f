// `npm run admin:create -- --email you@lab.org [--name "Your Name"]`: creates an admin, or resets
// an existing account's password and makes it admin. The password is read from ADMIN_PASSWORD
// or generated and printed once.
import { parseArgs } from 'node:util';
import { closeDatabase, databaseForScript } from '../src/lib/server/db';
import { upsertUser } from '../src/lib/server/auth/users';
import { generateToken } from '../src/lib/server/auth/tokens';

const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' } } });
if (!values.email) {
	console.error('usage: npm run admin:create -- --email you@lab.org [--name "Your Name"]');
	process.exit(2);
}
const password = process.env.ADMIN_PASSWORD ?? generateToken();
const d = await databaseForScript();
const user = await upsertUser(d.db, {
	email: values.email,
	displayName: values.name ?? 'Admin',
	role: 'admin',
	password
});
console.info(`Admin ready: ${user.email}`);
if (!process.env.ADMIN_PASSWORD) console.info(`Password: ${password}`);
await closeDatabase();
