import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import { seedStudyFixture } from '../testing/studies';
import { makeImage } from '../testing/images';
import type { Database } from '../db';
import { jobs, subjects } from '../db/schema';
import { config } from '../config';
import { LocalDiskStore, useBlobStore } from '../blobs/store';
import { addReferenceImages } from '../subjects/subjects';
import { studyImages, warmStudyImages, WARM_IMAGES_JOB } from './warm-images';

const variantFile = (sha: string, variant: string) =>
	join(config().dataDir, 'variants', sha.slice(0, 2), `${sha}-${variant}.webp`);

describe.each(DB_KINDS)('warming a study’s images on %s', (kind) => {
	let d: Database;
	beforeAll(async () => {
		d = await freshDatabase(kind);
		useBlobStore(new LocalDiskStore(mkdtempSync(join(tmpdir(), 'sid-warm-'))));
	});
	afterAll(async () => {
		useBlobStore(undefined);
		await d.close();
	});

	it('is queued when the study opens and makes every size the question page shows', async () => {
		const study = await seedStudyFixture(d.db, { subjects: 2, prompts: 2, slug: `warm-${kind}` });
		const queued = await d.db
			.select()
			.from(jobs)
			.where(and(eq(jobs.kind, WARM_IMAGES_JOB), sql`${jobs.payload}->>'studyId' = ${study.id}`));
		expect(queued).toHaveLength(1);

		// Five references for one subject: the page shows the first four.
		const [subject] = await d.db
			.select()
			.from(subjects)
			.where(eq(subjects.name, `warm-${kind}-subject-0`));
		const refs = await Promise.all(
			[0, 1, 2, 3, 4].map(async (i) => ({
				name: `ref-${i}.png`,
				bytes: await makeImage('png', 64, { r: 10 * i, g: 99, b: 1 })
			}))
		);
		expect(await addReferenceImages(d.db, subject.id, refs)).toBe(5);

		const images = await studyImages(d.db, study.id);
		// 2 subjects × 2 methods × 2 prompts samples at 512, and 4 references at 256.
		expect(images.filter((i) => i.variant === '512')).toHaveLength(8);
		expect(images.filter((i) => i.variant === '256')).toHaveLength(4);
		// The fixture's images are the same on both databases: start from none made.
		for (const i of images) rmSync(variantFile(i.sha256, i.variant), { force: true });

		const out = await warmStudyImages(d.db, study.id, async () => {});
		expect(out).toEqual({ images: 12 });
		for (const i of images) expect(existsSync(variantFile(i.sha256, i.variant))).toBe(true);
	});
});
