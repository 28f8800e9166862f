// `npm run db:migrate`: applies the committed migrations in drizzle/ to DATABASE_URL (or the PGlite in DATA_DIR).
import { closeDatabase, database } from '../src/lib/server/db';

const d = await database();
console.info(`Migrations applied (${d.kind}).`);
await closeDatabase();
