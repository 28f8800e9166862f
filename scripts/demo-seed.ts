// Fills the embedded database with the demo project and prints the demo logins.
import { closeDatabase, database } from '../src/lib/server/db';
import { seedDemoAccounts, seedDemoSubjects } from '../src/lib/server/demo/seed';
import { seedDemoResults } from '../src/lib/server/demo/results';

const d = await database();
const created = await seedDemoSubjects(d.db);
const accounts = await seedDemoAccounts(d.db);
const resultsStudy = await seedDemoResults(d.db);
await closeDatabase();
console.info(`Demo study with answers: /admin/studies/${resultsStudy}/results`);
console.info(`Demo data ready (${created} new subjects).`);
console.info(`  admin      ${accounts.admin.email}  password: ${accounts.admin.password}`);
console.info(`  annotator  ${accounts.annotator.email}  password: ${accounts.annotator.password}`);
