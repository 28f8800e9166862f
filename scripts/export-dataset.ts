// `npm run sid:export -- --subject dog6 --case 3 --out dog6-case3.zip [--dataset folder]`:
// writes the same training-set ZIP as the subject page's "dataset" link (images + metadata.jsonl)
// from the app's database (DATA_DIR / DATABASE_URL). With --dataset, subjects are first imported
// from a DreamBooth-style folder (<subject>/<image> plus prompts_and_classes.txt), which is how
// the gpu-service tests build a ZIP with the app's own code.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { closeDatabase, database } from '../src/lib/server/db';
import { subjects } from '../src/lib/server/db/schema';
import { seedDemoSubjects } from '../src/lib/server/demo/seed';
import { datasetZip, exportRows } from '../src/lib/server/captions/exports';

const { values } = parseArgs({
	options: {
		subject: { type: 'string' },
		case: { type: 'string', default: '3' },
		out: { type: 'string' },
		dataset: { type: 'string' }
	}
});
const descriptionCase = Number(values.case);
if (!values.subject || !values.out || ![1, 2, 3, 4].includes(descriptionCase)) {
	console.error(
		'usage: npm run sid:export -- --subject NAME --case 1..4 --out FILE.zip [--dataset DIR]'
	);
	process.exit(2);
}
const d = await database();
if (values.dataset) await seedDemoSubjects(d.db, values.dataset);
const [subject] = await d.db.select().from(subjects).where(eq(subjects.name, values.subject));
if (!subject) {
	console.error(`No subject named "${values.subject}".`);
	process.exit(1);
}
const rows = await exportRows(d.db, subject.id, descriptionCase as 1 | 2 | 3 | 4);
const out = createWriteStream(values.out);
for await (const chunk of datasetZip(rows)) {
	if (!out.write(chunk)) await once(out, 'drain');
}
out.end();
await once(out, 'finish');
console.info(`${values.out}: ${rows.length} images with case-${descriptionCase} captions.`);
await closeDatabase();
