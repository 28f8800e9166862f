import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import { makeImage, pngBomb } from '../testing/images';
import type { Database } from '../db';
import { blobs, referenceImages } from '../db/schema';
import { config, resetConfig } from '../config';
import { LocalDiskStore, useBlobStore } from './store';
import { ingestImage, normalizeImage } from './images';
import { Refusal } from '../http/refusal';
import { variantBytes } from './variants';
import { addReferenceImages, createSubject } from '../subjects/subjects';

function listFiles(dir: string): string[] {
	try {
		return readdirSync(dir, { recursive: true, withFileTypes: true })
			.filter((e) => e.isFile())
			.map((e) => e.name);
	} catch {
		return [];
	}
}

describe('image checks', () => {
	afterEach(() => {
		delete process.env.MAX_UPLOAD_BYTES;
		resetConfig();
	});

	it('refuses a text file renamed to .png, by its bytes', async () => {
		await expect(normalizeImage(Buffer.from('hello, I am text'), 'cat.png')).rejects.toThrow(
			/cat\.png: not an image/
		);
	});

	it('refuses a 20000x20000 PNG before decoding it', async () => {
		await expect(normalizeImage(pngBomb(), 'bomb.png')).rejects.toThrow(
			/20000x20000 pixels; the limit is 40 megapixels/
		);
	});

	it('refuses a file over the byte limit', async () => {
		process.env.MAX_UPLOAD_BYTES = '1000';
		resetConfig();
		const big = await makeImage('png', 400);
		expect(big.byteLength).toBeGreaterThan(1000);
		await expect(normalizeImage(big, 'big.png')).rejects.toThrow(/the limit is 0\.0 MB|limit is/);
	});

	it('refuses SVG, which can carry script', async () => {
		const svg = Buffer.from(
			'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
		);
		await expect(normalizeImage(svg, 'x.svg')).rejects.toThrow(Refusal);
	});

	it('strips metadata and re-encodes', async () => {
		const withExif = await sharp(await makeImage('jpeg', 80))
			.withExif({ IFD0: { Copyright: 'secret GPS owner', ImageDescription: 'home address' } })
			.jpeg()
			.toBuffer();
		expect((await sharp(withExif).metadata()).exif).toBeDefined();
		const out = await normalizeImage(withExif, 'x.jpg');
		const meta = await sharp(out.data).metadata();
		expect(meta.exif).toBeUndefined();
		expect(out.data.toString('latin1')).not.toContain('secret GPS owner');
		expect(out).toMatchObject({ mime: 'image/jpeg', width: 80, height: 80 });
	});
});

describe.each(DB_KINDS)('storing images on %s', (kind) => {
	let d: Database;
	let root: string;
	beforeAll(async () => {
		d = await freshDatabase(kind);
		root = mkdtempSync(join(tmpdir(), 'sid-blobs-'));
		useBlobStore(new LocalDiskStore(root));
	});
	afterAll(async () => {
		useBlobStore(undefined);
		await d.close();
	});

	it('stores nothing when any file of an upload is bad, and names it', async () => {
		const s = await createSubject(d.db, {
			name: `dog-${kind}`,
			classNoun: 'dog',
			identifier: 'sks',
			kind: 'live'
		});
		const good = await makeImage('png');
		const err = await addReferenceImages(d.db, s.id, [
			{ name: 'good.png', bytes: good },
			{ name: 'notes.jpg', bytes: Buffer.from('plain text') },
			{ name: 'bomb.png', bytes: pngBomb() }
		]).catch((e) => e);
		expect(err).toBeInstanceOf(Refusal);
		expect(err.message).toMatch(/notes\.jpg: not an image/);
		expect(err.message).toMatch(/bomb\.png: the image is 20000x20000/);
		expect(err.message).not.toMatch(/good\.png/);
		expect((await d.db.select({ n: count() }).from(blobs))[0].n).toBe(0);
		expect((await d.db.select({ n: count() }).from(referenceImages))[0].n).toBe(0);
		expect(listFiles(root)).toEqual([]);

		expect(await addReferenceImages(d.db, s.id, [{ name: 'good.png', bytes: good }])).toBe(1);
		expect(await addReferenceImages(d.db, s.id, [{ name: 'again.png', bytes: good }])).toBe(0);
		expect(listFiles(root)).toHaveLength(1);
	});

	it('serves WebP variants no wider than asked', async () => {
		const blob = await ingestImage(d.db, await makeImage('png', 600, { r: 10, g: 20, b: 30 }));
		const v = await variantBytes(blob.sha256, '256');
		expect(v?.mime).toBe('image/webp');
		const meta = await sharp(v!.data).metadata();
		expect(meta.format).toBe('webp');
		expect(meta.width).toBe(256);
		expect(await variantBytes('0'.repeat(64), '256')).toBeNull();
		expect(await variantBytes('../../etc/passwd', 'orig')).toBeNull();
	});

	it('serves a new variant asked for 50 times at once to every request', async () => {
		// A study's launch: every arrival asks for the same first images together. Their resizes
		// used to share one temporary file name, and most of them failed with a 500.
		// Noise, so that encoding takes long enough for the resizes to overlap as under load.
		const noise = await sharp({
			create: {
				width: 700,
				height: 700,
				channels: 3,
				background: { r: 0, g: 0, b: 0 },
				noise: { type: 'gaussian', mean: 128, sigma: 40 }
			}
		})
			.png()
			.toBuffer();
		const blob = await ingestImage(d.db, noise);
		const all = await Promise.all(
			Array.from({ length: 50 }, () => variantBytes(blob.sha256, '512'))
		);
		expect(new Set(all.map((v) => v!.data.toString('base64'))).size).toBe(1);
		expect((await sharp(all[0]!.data).metadata()).width).toBe(512);
		expect(listFiles(join(config().dataDir, 'variants')).filter((f) => f.endsWith('.tmp'))).toEqual(
			[]
		);
	});
});
