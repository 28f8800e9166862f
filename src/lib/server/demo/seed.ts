import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { subjects } from '../db/schema';
import { upsertUser } from '../auth/users';
import { generateToken } from '../auth/tokens';
import { addReferenceImages, createSubject } from '../subjects/subjects';
import { LIVE_CLASSES, parsePromptsAndClasses } from '../subjects/dataset';

export const DEMO_DATASET = join(process.cwd(), 'demo', 'dreambooth-512');

export interface DemoAccounts {
	admin: { email: string; password: string };
	annotator: { email: string; password: string };
}

/** Demo accounts get fresh passwords on every start, printed for the person at the terminal. */
export async function seedDemoAccounts(db: Db): Promise<DemoAccounts> {
	const admin = { email: 'admin@demo.sid-studio.org', password: generateToken().slice(0, 16) };
	const annotator = { email: 'annotator@demo.sid-studio.org', password: generateToken().slice(0, 16) };
	await upsertUser(db, { ...admin, displayName: 'Demo Admin', role: 'admin' });
	await upsertUser(db, { ...annotator, displayName: 'Demo Annotator', role: 'annotator' });
	return { admin, annotator };
}

/** Subjects from the shipped DreamBooth images (CC BY 4.0, see demo/dreambooth-512/). Idempotent. */
export async function seedDemoSubjects(db: Db, dataset = DEMO_DATASET): Promise<number> {
	const index = parsePromptsAndClasses(readFileSync(join(dataset, 'prompts_and_classes.txt'), 'utf8'));
	let created = 0;
	for (const [name, classNoun] of index.classes) {
		let files: string[];
		try {
			files = readdirSync(join(dataset, name)).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort();
		} catch {
			continue; // the shipped copy has 24 of the 30 subjects
		}
		const [exists] = await db.select({ id: subjects.id }).from(subjects).where(eq(subjects.name, name));
		if (exists) continue;
		const s = await createSubject(db, {
			name,
			classNoun,
			identifier: 'sks',
			kind: LIVE_CLASSES.has(classNoun) ? 'live' : 'object'
		});
		await addReferenceImages(
			db,
			s.id,
			files.map((f) => ({ name: `${name}/${f}`, bytes: readFileSync(join(dataset, name, f)) }))
		);
		created++;
	}
	return created;
}
