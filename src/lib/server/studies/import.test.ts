import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import { makeImage } from '../testing/images';
import { makeZip, type ZipEntryInput } from '../testing/zip-fixture';
import type { Database } from '../db';
import { items, runs, samples } from '../db/schema';
import { createSubject } from '../subjects/subjects';
import { importSamplesZip } from './import';
import { Refusal } from '../http/refusal';
import { buildStudyItems } from './items';
import { createStudy, setStudyMethods } from './studies';

function manifest(images: object[]): ZipEntryInput {
	return { name: 'manifest.json', data: Buffer.from(JSON.stringify({ images })) };
}

const entry = (file: string, method: string, seed = 0, prompt = 'a sks dog in the snow') => ({
	file,
	method,
	subject: 'dog',
	prompt,
	seed
});

async function rejection(p: Promise<unknown>): Promise<string[]> {
	try {
		await p;
	} catch (e) {
		if (e instanceof Refusal && e.status === 400) return e.extra.problems as string[];
		throw e;
	}
	throw new Error('the import was accepted');
}

describe.each(DB_KINDS)('ZIP import on %s', (kind) => {
	let d: Database;
	let good: ZipEntryInput[];

	beforeAll(async () => {
		d = await freshDatabase(kind);
		await createSubject(d.db, { name: 'dog', classNoun: 'dog', identifier: 'sks', kind: 'live' });
		good = [
			manifest([
				entry('db/0.png', 'DreamBooth'),
				entry('db/1.png', 'DreamBooth', 1),
				entry('sid/0.png', 'DreamBooth + SID'),
				entry('sid/1.jpg', 'DreamBooth + SID', 0, 'a sks dog on the beach'),
				entry('db/2.png', 'DreamBooth', 0, 'a sks dog on the beach')
			]),
			{ name: 'db/0.png', data: await makeImage('png', 32, { r: 1, g: 2, b: 3 }) },
			{ name: 'db/1.png', data: await makeImage('png', 32, { r: 4, g: 5, b: 6 }) },
			{ name: 'db/2.png', data: await makeImage('png', 32, { r: 7, g: 8, b: 9 }) },
			{ name: 'sid/0.png', data: await makeImage('png', 32, { r: 9, g: 9, b: 9 }) },
			{ name: 'sid/1.jpg', data: await makeImage('jpeg', 32, { r: 90, g: 9, b: 9 }) }
		];
	});
	afterAll(() => d?.close());

	async function sampleCount() {
		return (await d.db.select({ n: count() }).from(samples))[0].n;
	}

	it('refuses bad archives whole, naming every offending entry', async () => {
		const bomb = Buffer.alloc(3 * 1024 * 1024); // 3 MB of zeros deflate to a few KB
		const cases: { entries: ZipEntryInput[]; expect: RegExp[] }[] = [
			{
				entries: [...good, { name: '../../etc/evil.png', data: good[1].data }],
				expect: [/\.\.\/\.\.\/etc\/evil\.png: points outside the archive/]
			},
			{
				entries: [
					...good,
					{ name: 'db/link.png', data: Buffer.from('/etc/passwd'), mode: 0o120777 }
				],
				expect: [/db\/link\.png: is a symbolic link/]
			},
			{
				entries: [...good, { name: 'bomb.png', data: bomb, declaredSize: 1000 }],
				expect: [/bomb\.png/]
			},
			{
				entries: [
					manifest([entry('db/0.png', 'DreamBooth'), entry('notes.png', 'DreamBooth', 5)]),
					good[1],
					{ name: 'notes.png', data: Buffer.from('just some text') }
				],
				expect: [/notes\.png: not an image/]
			},
			{
				entries: [
					manifest([entry('db/0.png', 'DreamBooth'), entry('db/gone.png', 'DreamBooth', 3)]),
					good[1]
				],
				expect: [/db\/gone\.png: named in manifest\.json but not in the archive/]
			}
		];
		for (const c of cases) {
			const problems = await rejection(
				importSamplesZip(d.db, makeZip(c.entries), {
					maxEntries: 100,
					maxTotalBytes: 2 * 1024 * 1024
				})
			);
			for (const re of c.expect) expect(problems.join('\n')).toMatch(re);
		}
		expect(await sampleCount()).toBe(0);
	});

	it('refuses a bomb that tells the truth in its headers and too many entries', async () => {
		const big = { name: 'big.png', data: Buffer.alloc(3 * 1024 * 1024) };
		expect(
			(
				await rejection(
					importSamplesZip(d.db, makeZip([...good, big]), {
						maxEntries: 100,
						maxTotalBytes: 2 ** 21
					})
				)
			).join()
		).toMatch(/big\.png: unpacks to more than/);
		expect(
			(
				await rejection(
					importSamplesZip(d.db, makeZip(good), { maxEntries: 3, maxTotalBytes: 2 ** 21 })
				)
			).join()
		).toMatch(/6 entries; the limit is 3/);
		expect((await rejection(importSamplesZip(d.db, Buffer.from('not a zip')))).join()).toMatch(
			/not a readable ZIP/
		);
		expect(await sampleCount()).toBe(0);
	});

	it('imports a good archive once, and builds items from it by seed', async () => {
		const zip = makeZip(good);
		expect(await importSamplesZip(d.db, zip)).toEqual({ images: 5, added: 5, runs: 2 });
		expect(await importSamplesZip(d.db, zip)).toEqual({ images: 5, added: 0, runs: 2 });
		expect((await d.db.select({ n: count() }).from(runs))[0].n).toBe(2);

		const study = await createStudy(d.db, { title: 'Import', slug: 'import' });
		await setStudyMethods(d.db, study.id, ['DreamBooth', 'DreamBooth + SID']);
		expect(await buildStudyItems(d.db, study.id)).toBe(2);
		expect(await buildStudyItems(d.db, study.id)).toBe(0);
		const rows = await d.db.select().from(items);
		const byId = new Map((await d.db.select().from(samples)).map((s) => [s.id, s]));
		for (const it of rows) {
			// Both sides share seed 0 where both methods have it.
			expect(byId.get(it.sampleAId)!.seed).toBe(0);
			expect(byId.get(it.sampleBId)!.seed).toBe(0);
		}
	});
});
