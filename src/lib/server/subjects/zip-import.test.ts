import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import { makeImage } from '../testing/images';
import { makeZip } from '../testing/zip-fixture';
import type { Database } from '../db';
import { referenceImages, subjects } from '../db/schema';
import { resetConfig } from '../config';
import { LocalDiskStore, useBlobStore } from '../blobs/store';
import { Refusal } from '../http/refusal';
import { importSubjectsZip } from './zip-import';

const CLASSES = Buffer.from(
	'Classes\n\nsubject_name,class\ndog6,dog\nvase,vase\nred_cartoon,cartoon\n'
);

async function rejection(p: Promise<unknown>): Promise<Refusal & { problems: string[] }> {
	const e = await p.then(
		() => null,
		(err) => err
	);
	expect(e).toBeInstanceOf(Refusal);
	expect(e.status).toBe(400);
	return Object.assign(e as Refusal, { problems: (e as Refusal).extra.problems as string[] });
}

describe.each(DB_KINDS)('folder-style ZIP import on %s', (kind) => {
	let d: Database;
	let png: Buffer;
	beforeAll(async () => {
		const dir = mkdtempSync(join(tmpdir(), 'sid-zip-'));
		process.env.DATA_DIR = dir;
		resetConfig();
		useBlobStore(new LocalDiskStore(join(dir, 'blobs')));
		d = await freshDatabase(kind);
		png = await makeImage('png', 64);
	}, 60_000);
	afterAll(async () => {
		await d?.close();
		useBlobStore(undefined);
		delete process.env.DATA_DIR;
		resetConfig();
	});

	const nothingStored = async () => {
		expect((await d.db.select({ n: count() }).from(subjects))[0].n).toBe(0);
		expect((await d.db.select({ n: count() }).from(referenceImages))[0].n).toBe(0);
	};

	it('refuses traversal, symlinks, stray files and bad images, naming each, and stores nothing', async () => {
		const e = await rejection(
			importSubjectsZip(
				d.db,
				makeZip([
					{ name: 'dataset/prompts_and_classes.txt', data: CLASSES },
					{ name: 'dataset/dog6/00.png', data: png },
					{ name: 'dataset/dog6/notes.docx', data: Buffer.from('x') },
					{ name: 'dataset/vase/01.png', data: Buffer.from('not an image') },
					{ name: 'dataset/unknown/00.png', data: png },
					{ name: 'dataset/dog6/link.png', data: Buffer.from('/etc/passwd'), mode: 0o120777 }
				])
			)
		);
		expect(e.message).toMatch(/link\.png: is a symbolic link/);
		await nothingStored();
		const e2 = await rejection(
			importSubjectsZip(
				d.db,
				makeZip([
					{ name: 'prompts_and_classes.txt', data: CLASSES },
					{ name: 'dog6/notes.docx', data: Buffer.from('x') },
					{ name: 'vase/01.png', data: Buffer.from('not an image') },
					{ name: 'unknown/00.png', data: png }
				])
			)
		);
		expect(e2.problems.join(' ')).toMatch(/dog6\/notes\.docx/);
		expect(e2.problems.join(' ')).toMatch(/vase\/01\.png/);
		expect(e2.problems.join(' ')).toMatch(/"unknown" has no class/);
		const e3 = await rejection(
			importSubjectsZip(
				d.db,
				makeZip([
					{ name: 'prompts_and_classes.txt', data: CLASSES },
					{ name: '../evil/00.png', data: png }
				])
			)
		);
		expect(e3.message).toMatch(/\.\.\/evil\/00\.png/);
		// Issue 14: this importer answered 500 to names the study importer refused cleanly.
		const e4 = await rejection(
			importSubjectsZip(
				d.db,
				makeZip([
					{ name: 'prompts_and_classes.txt', data: CLASSES },
					{ name: 'C:/dog6/00.png', data: png },
					{ name: 'dog6/0\u00071.png', data: png }
				])
			)
		);
		expect(e4.problems.join(' ')).toMatch(/C:\/dog6\/00\.png: has an absolute path/);
		expect(e4.problems.join(' ')).toMatch(/control characters/);
		await nothingStored();
	});

	it('stops inflating a bomb at the size limit', async () => {
		process.env.MAX_UPLOAD_BYTES = String(1024 * 1024);
		resetConfig();
		try {
			const bomb = Buffer.alloc(50 * 1024 * 1024); // 50 MB of zeros, about 50 KB deflated
			const zip = makeZip([
				{ name: 'prompts_and_classes.txt', data: CLASSES },
				{ name: 'dog6/00.png', data: bomb }
			]);
			expect(zip.length).toBeLessThan(200_000);
			const e = await rejection(importSubjectsZip(d.db, zip));
			expect(e.message).toMatch(/dog6\/00\.png: unpacks to more than the 1 MB one file may hold/);
			await nothingStored();
		} finally {
			delete process.env.MAX_UPLOAD_BYTES;
			resetConfig();
		}
	});

	it('imports subjects with their class and kind in one go', async () => {
		const blue = await makeImage('png', 64, { r: 0, g: 0, b: 200 });
		const out = await importSubjectsZip(
			d.db,
			makeZip([
				{ name: 'ds/prompts_and_classes.txt', data: CLASSES },
				{ name: 'ds/LICENSE.md', data: Buffer.from('CC BY 4.0') },
				{ name: 'ds/dog6/00.png', data: png },
				{ name: 'ds/dog6/01.png', data: blue },
				{ name: 'ds/red_cartoon/00.png', data: png },
				{ name: '__MACOSX/ds/._00.png', data: Buffer.from('junk') }
			])
		);
		expect(out.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
			{ name: 'dog6', classNoun: 'dog', images: 2 },
			{ name: 'red_cartoon', classNoun: 'cartoon', images: 1 }
		]);
		const rows = await d.db.select().from(subjects);
		expect(rows.find((r) => r.name === 'dog6')?.kind).toBe('live');
		expect(rows.find((r) => r.name === 'red_cartoon')?.kind).toBe('style');
		// Importing the same subjects again is refused by name.
		const e = await rejection(
			importSubjectsZip(
				d.db,
				makeZip([
					{ name: 'prompts_and_classes.txt', data: CLASSES },
					{ name: 'dog6/00.png', data: png }
				])
			)
		);
		expect(e.message).toMatch(/"dog6" already exists/);
	});
});
