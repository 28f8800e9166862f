// Fills the embedded database with the demo project and prints the demo logins.
import { closeDatabase, databaseForScript } from '../src/lib/server/db';
import { seedDemoAccounts, seedDemoSubjects } from '../src/lib/server/demo/seed';
import { seedDemoCaptions } from '../src/lib/server/captions/demo';
import { seedDemoStudy } from '../src/lib/server/demo/study';
import { seedDemoResults, DEMO_RESULTS_SLUG } from '../src/lib/server/demo/results';

const d = await databaseForScript();
const created = await seedDemoSubjects(d.db);
const drafts = await seedDemoCaptions(d.db);
const slug = await seedDemoStudy(d.db);
const accounts = await seedDemoAccounts(d.db);
const resultsStudy = await seedDemoResults(d.db);
await closeDatabase();
const base = process.env.ORIGIN ?? `http://localhost:${process.env.PORT ?? 5173}`;
console.info(`Demo data ready (${created} new subjects, ${drafts} recorded SID drafts).`);
console.info(`  admin      ${accounts.admin.email}  password: ${accounts.admin.password}`);
console.info(`  annotator  ${accounts.annotator.email}  password: ${accounts.annotator.password}`);
console.info(`  survey     ${base}/s/${slug}  (demo study; images are labelled stand-ins)`);
console.info(
	`  results    ${base}/admin/studies/${resultsStudy}/results  (${DEMO_RESULTS_SLUG}: simulated answers)`
);
