import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { config } from '../config';
import { blobStore, SHA256_RE } from './store';

/** The sizes pages ask for: thumbnails in lists, large views for comparison and zoom. */
export const VARIANT_WIDTHS = { '256': 256, '512': 512, '1024': 1024 } as const;
export type Variant = keyof typeof VARIANT_WIDTHS | 'orig';

export function isVariant(v: string): v is Variant {
	return v === 'orig' || v in VARIANT_WIDTHS;
}

export interface Served {
	data: Buffer;
	mime: string;
}

/**
 * An image as /img serves it: the original, or a resized WebP made once and kept on local
 * disk next to the data directory (a cache: any instance can rebuild it from the blob store).
 * What was served stays in memory while the original's fingerprint holds (same file, size and
 * change times; same object version in a bucket), so a launch's thousands of requests for
 * the same images cost a stat each instead of reading and hashing the original and reading
 * the variant every time. Any change to the original sends the next request through the
 * store, which hashes it again and refuses a mismatch: a cached thumbnail never outlives an
 * original that changed under its hash.
 */
export async function variantBytes(sha256: string, variant: Variant): Promise<Served | null> {
	if (!SHA256_RE.test(sha256)) return null;
	const store = blobStore();
	// Taken before the bytes are verified: a change after this point changes it again.
	const fingerprint = await store.fingerprint(sha256);
	if (fingerprint === null) return null;
	const key = `${sha256}/${variant}`;
	const kept = served.get(key);
	if (kept?.fingerprint === fingerprint) return kept.image;
	const original = await store.get(sha256);
	if (!original) return null;
	const image = await fromOriginal(original, sha256, variant);
	served.set(key, { fingerprint, image });
	return image;
}

async function fromOriginal(original: Buffer, sha256: string, variant: Variant): Promise<Served> {
	if (variant === 'orig') {
		const meta = await sharp(original).metadata();
		return { data: original, mime: `image/${meta.format}` };
	}
	// Named by the verified original's hash, so it is always derived from bytes that match it.
	const cachePath = join(
		config().dataDir,
		'variants',
		sha256.slice(0, 2),
		`${sha256}-${variant}.webp`
	);
	try {
		return { data: await readFile(cachePath), mime: 'image/webp' };
	} catch {
		// not cached yet
	}
	// A study's launch asks for the same new variants hundreds of times at once: one resize
	// each, which the others wait for (each resize costs tens of milliseconds of CPU).
	let making = inFlight.get(cachePath);
	if (!making) {
		making = makeVariant(original, VARIANT_WIDTHS[variant], cachePath).finally(() =>
			inFlight.delete(cachePath)
		);
		inFlight.set(cachePath, making);
	}
	return { data: await making, mime: 'image/webp' };
}

const inFlight = new Map<string, Promise<Buffer>>();

/**
 * Served images by key, least recently used first, within a byte budget (a study's images
 * at the sizes the survey shows are a few MB; a large original is not kept).
 */
class ServedImages {
	private readonly entries = new Map<string, { fingerprint: string; image: Served }>();
	private bytes = 0;
	constructor(private readonly budget: number) {}

	get(key: string) {
		const e = this.entries.get(key);
		if (e) {
			this.entries.delete(key);
			this.entries.set(key, e);
		}
		return e;
	}

	set(key: string, e: { fingerprint: string; image: Served }) {
		if (e.image.data.byteLength > this.budget / 16) return;
		this.delete(key);
		this.entries.set(key, e);
		this.bytes += e.image.data.byteLength;
		for (const [oldest] of this.entries) {
			if (this.bytes <= this.budget) break;
			this.delete(oldest);
		}
	}

	private delete(key: string) {
		const e = this.entries.get(key);
		if (!e) return;
		this.entries.delete(key);
		this.bytes -= e.image.data.byteLength;
	}
}

const served = new ServedImages(64 * 1024 * 1024);

async function makeVariant(original: Buffer, width: number, cachePath: string): Promise<Buffer> {
	const data = await sharp(original)
		.resize({ width, height: width, fit: 'inside', withoutEnlargement: true })
		.webp({ quality: 82 })
		.toBuffer();
	await mkdir(dirname(cachePath), { recursive: true });
	// Its own temporary name: other processes may share the folder and write the same variant.
	const tmp = `${cachePath}.${process.pid}.${randomUUID()}.tmp`;
	await writeFile(tmp, data);
	await rename(tmp, cachePath);
	return data;
}
