import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import type { Database } from '../db';
import { captions } from '../db/schema';
import { resetConfig } from '../config';
import { LocalDiskStore, useBlobStore } from '../blobs/store';
import { DEMO_DATASET, seedDemoSubjects } from '../demo/seed';
import { DEMO_RECORDING, seedDemoCaptions } from './demo';
import { checkSelectivity } from './selectivity';
import { composeCases, type SidStructure } from '../../captions/structure';
import { parsePromptsAndClasses } from '../subjects/dataset';

const rec = JSON.parse(readFileSync(DEMO_RECORDING, 'utf8')) as {
	model: string;
	replies: Record<string, SidStructure>;
};

describe('the recorded demo reply', () => {
	it('covers every shipped demo image; every composed SID passes the check, every case 4 is flagged', () => {
		const shipped = readdirSync(DEMO_DATASET, { withFileTypes: true })
			.filter((e) => e.isDirectory())
			.flatMap((e) => readdirSync(join(DEMO_DATASET, e.name)).map((f) => `${e.name}/${f}`));
		expect(Object.keys(rec.replies).sort()).toEqual(shipped.sort());
		expect(rec.model).toBe('demo-recording');
		const { classes } = parsePromptsAndClasses(
			readFileSync(join(DEMO_DATASET, 'prompts_and_classes.txt'), 'utf8')
		);
		for (const [file, r] of Object.entries(rec.replies)) {
			const classNoun = classes.get(file.split('/')[0])!;
			const kind = ['dog', 'cat'].includes(classNoun) ? ('live' as const) : ('object' as const);
			const subject = { identifier: 'sks', classNoun, kind };
			const cases = composeCases(r, subject);
			expect(checkSelectivity(cases[3], subject), file).toEqual([]);
			expect(checkSelectivity(cases[4], subject), file).not.toEqual([]);
		}
	});
});

describe.each(DB_KINDS)('demo drafts on %s', (kind) => {
	let d: Database;
	let dataset: string;
	beforeAll(async () => {
		const dir = mkdtempSync(join(tmpdir(), 'sid-demo-'));
		process.env.DATA_DIR = dir;
		resetConfig();
		useBlobStore(new LocalDiskStore(join(dir, 'blobs')));
		dataset = join(dir, 'dataset');
		mkdirSync(dataset);
		writeFileSync(
			join(dataset, 'prompts_and_classes.txt'),
			'Classes\n\nsubject_name,class\ndog6,dog\nvase,vase\n'
		);
		for (const s of ['dog6', 'vase'])
			cpSync(join(DEMO_DATASET, s), join(dataset, s), { recursive: true });
		d = await freshDatabase(kind);
	}, 60_000);
	afterAll(async () => {
		await d?.close();
		useBlobStore(undefined);
		delete process.env.DATA_DIR;
		resetConfig();
	});

	it('puts labelled drafts in the queue, once', async () => {
		await seedDemoSubjects(d.db, dataset);
		expect(await seedDemoCaptions(d.db)).toBe(11);
		expect(await seedDemoCaptions(d.db)).toBe(0);
		const rows = await d.db.select().from(captions);
		expect(rows).toHaveLength(11);
		expect(rows.every((r) => r.status === 'review' && r.model === 'demo-recording')).toBe(true);
		expect(rows.some((r) => r.sid === 'a sks dog sitting against a plain orange backdrop')).toBe(
			true
		);
	});
});
