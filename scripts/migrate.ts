// `npm run db:migrate`: applies the committed migrations in drizzle/ to DATABASE_URL (or the PGlite in DATA_DIR).
import { closeDatabase, databaseForScript } from '../src/lib/server/db';

const d = await databaseForScript();
console.info(`Migrations applied (${d.kind}).`);
await closeDatabase();
