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

/**
 * A resized WebP of a blob, made once and kept on local disk next to the data directory
 * (a cache: any instance can rebuild it from the blob store). The original is read and
 * verified on every request, even when the variant is cached: a cached thumbnail must not
 * outlive an original that changed under its hash (the store refuses a mismatch). Hashing a
 * few MB costs milliseconds; the resize the cache saves costs far more.
 */
export async function variantBytes(
	sha256: string,
	variant: Variant
): Promise<{ data: Buffer; mime: string } | null> {
	if (!SHA256_RE.test(sha256)) return null;
	const original = await blobStore().get(sha256);
	if (!original) return null;
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
