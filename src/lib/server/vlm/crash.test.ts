import type { ChildProcess } from 'node:child_process';
import { exited, startTsProcess, waitFor } from '../testing/processes';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import { makeImage } from '../testing/images';
import { startFakeVlm, type FakeVlm } from '../testing/fake-vlm';
import { openDatabase, type Database } from '../db';
import { captionHistory, captions, jobs, vlmCalls } from '../db/schema';
import { resetConfig } from '../config';
import { LocalDiskStore, useBlobStore } from '../blobs/store';
import { addReferenceImages, createSubject } from '../subjects/subjects';
import { queueDrafts } from './drafting';

const IMAGES = 6;

const startApp = (env: Record<string, string>) =>
	startTsProcess('src/lib/server/testing/draft-process.ts', env);

describe.each(DB_KINDS)('a drafting batch survives a killed app on %s', (kind) => {
	const children: ChildProcess[] = [];
	let fake: FakeVlm | undefined;
	afterAll(async () => {
		children.forEach((c) => c.kill('SIGKILL'));
		await fake?.close();
		useBlobStore(undefined);
		delete process.env.DATA_DIR;
		resetConfig();
	});

	it('loses no draft and does not redo finished ones', { timeout: 120_000 }, async () => {
		const dir = mkdtempSync(join(tmpdir(), 'sid-draft-crash-'));
		const marker = join(dir, 'marker.log');
		process.env.DATA_DIR = dir;
		resetConfig();
		useBlobStore(new LocalDiskStore(join(dir, 'blobs')));
		fake = await startFakeVlm();
		fake.delayMs = 700;
		let seed: Database & { url?: string };
		let env: Record<string, string> = {
			DATA_DIR: dir,
			MARKER_FILE: marker,
			OPENAI_API_KEY: 'test-key',
			OPENAI_BASE_URL: fake.url,
			VLM_MODEL: 'test-vision-1',
			VLM_TIMEOUT_MS: '20000',
			JOB_LEASE_SECONDS: '2'
		};
		if (kind === 'postgres') {
			seed = await freshDatabase('postgres');
			env = { ...env, DATABASE_URL: seed.url! };
		} else {
			seed = await openDatabase({ dataDir: join(dir, 'pglite') });
			await seed.migrate();
		}
		const s = await createSubject(seed.db, {
			name: 'dog',
			classNoun: 'dog',
			identifier: 'sks',
			kind: 'live'
		});
		const files = await Promise.all(
			Array.from({ length: IMAGES }, async (_, i) => ({
				name: `0${i}.png`,
				bytes: await makeImage('png', 64, { r: 30 * i, g: 60, b: 90 })
			}))
		);
		await addReferenceImages(seed.db, s.id, files);
		expect(await queueDrafts(seed.db, { subjectIds: [s.id] })).toBe(IMAGES);
		if (kind === 'pglite') await seed.close(); // PGlite allows one process at a time

		const first = startApp(env);
		children.push(first);
		// Kill it mid-batch: some replies answered (and committed), two calls in flight.
		await waitFor(() => fake!.requests.length >= 3);
		await new Promise((r) => setTimeout(r, 200));
		first.kill('SIGKILL');
		await exited(first);
		const beforeRestart = fake.requests.length;
		expect(beforeRestart).toBeLessThan(IMAGES);

		const second = startApp(env);
		children.push(second);
		await waitFor(() => existsSync(marker) && readFileSync(marker, 'utf8').includes('closed'));
		await exited(second);

		const check = kind === 'postgres' ? seed : await openDatabase({ dataDir: join(dir, 'pglite') });
		const rows = await check.db.select().from(captions);
		expect(rows).toHaveLength(IMAGES);
		expect(
			rows.every(
				(r) =>
					r.status === 'review' &&
					r.sid === 'a sks dog sitting on a blue velvet sofa, next to a red striped cushion'
			)
		).toBe(true);
		// Exactly one draft per image: nothing finished was drafted again.
		const history = await check.db
			.select()
			.from(captionHistory)
			.where(eq(captionHistory.action, 'draft'));
		expect(history).toHaveLength(IMAGES);
		expect(new Set(history.map((h) => h.referenceImageId)).size).toBe(IMAGES);
		const ok = await check.db.select().from(vlmCalls).where(eq(vlmCalls.ok, true));
		expect(ok).toHaveLength(IMAGES);
		// Only the calls cut off by the kill were made twice.
		expect(fake.requests.length).toBeLessThanOrEqual(IMAGES + 2);
		const all = await check.db.select().from(jobs);
		expect(all.every((j) => j.state === 'done')).toBe(true);
		await check.close();
	});
});
