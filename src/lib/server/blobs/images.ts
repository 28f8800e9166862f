import sharp, { type Metadata } from 'sharp';
import type { Db } from '../db';
import { blobs, type Blob } from '../db/schema';
import { config } from '../config';
import { blobStore } from './store';
import { refuse } from '../http/refusal';

/** An upload that is not an acceptable image: a 400 naming the file. */
function rejectImage(message: string, filename?: string): never {
	refuse(400, filename ? `${filename}: ${message}` : message, {}, { filename });
}

const ACCEPTED = new Set(['jpeg', 'png', 'webp']);

/**
 * Checks an upload by its bytes (never its name), bounds bytes and pixels before decoding,
 * and re-encodes it: metadata (EXIF, GPS, ICC comments) is dropped, orientation applied.
 */
export interface NormalizedImage {
	data: Buffer;
	mime: string;
	width: number;
	height: number;
}

export async function normalizeImage(
	bytes: Uint8Array,
	filename?: string
): Promise<NormalizedImage> {
	const cfg = config();
	if (bytes.byteLength === 0) rejectImage('the file is empty', filename);
	if (bytes.byteLength > cfg.MAX_UPLOAD_BYTES) {
		rejectImage(
			`the file is ${(bytes.byteLength / 1e6).toFixed(1)} MB; the limit is ${(cfg.MAX_UPLOAD_BYTES / 1e6).toFixed(1)} MB`,
			filename
		);
	}
	let meta: Metadata;
	try {
		meta = await sharp(bytes, { limitInputPixels: false }).metadata();
	} catch {
		rejectImage('not an image (only JPEG, PNG and WebP are accepted)', filename);
	}
	if (!meta.format || !ACCEPTED.has(meta.format)) {
		rejectImage(
			`${meta.format ?? 'unknown'} files are not accepted (only JPEG, PNG and WebP)`,
			filename
		);
	}
	const w = meta.width ?? 0;
	const h = meta.height ?? 0;
	if (w * h > cfg.MAX_IMAGE_PIXELS || w <= 0 || h <= 0) {
		rejectImage(
			`the image is ${w}x${h} pixels; the limit is ${(cfg.MAX_IMAGE_PIXELS / 1e6).toFixed(0)} megapixels`,
			filename
		);
	}
	try {
		const pipeline = sharp(bytes, {
			limitInputPixels: cfg.MAX_IMAGE_PIXELS,
			failOn: 'error'
		}).rotate();
		const out =
			meta.format === 'jpeg'
				? pipeline.jpeg({ quality: 92, mozjpeg: true })
				: meta.format === 'png'
					? pipeline.png()
					: pipeline.webp({ quality: 92 });
		const { data, info } = await out.toBuffer({ resolveWithObject: true });
		return { data, mime: `image/${meta.format}`, width: info.width, height: info.height };
	} catch {
		rejectImage('the image is damaged and could not be decoded', filename);
	}
}

/** Normalises, stores the bytes and records the blob; storing the same image twice is a no-op. */
export async function ingestImage(db: Db, bytes: Uint8Array, filename?: string): Promise<Blob> {
	const img = await normalizeImage(bytes, filename);
	return storeImage(db, img);
}

export async function storeImage(db: Db, img: NormalizedImage): Promise<Blob> {
	const sha256 = await blobStore().put(img.data);
	const row = {
		sha256,
		mime: img.mime,
		width: img.width,
		height: img.height,
		bytes: img.data.byteLength
	};
	await db.insert(blobs).values(row).onConflictDoNothing();
	return { ...row, createdAt: new Date() };
}

/**
 * The checks of `normalizeImage` (format by bytes, byte and pixel limits, a full decode)
 * without re-encoding: for artifacts whose sha256 was computed by their producer (GPU
 * workers), so the stored bytes must be exactly the bytes received.
 */
export async function verifyImage(
	bytes: Uint8Array,
	formats: readonly string[] = [...ACCEPTED],
	filename?: string
): Promise<NormalizedImage> {
	const cfg = config();
	if (bytes.byteLength === 0) rejectImage('the file is empty', filename);
	if (bytes.byteLength > cfg.MAX_UPLOAD_BYTES) {
		rejectImage(`the file is larger than ${cfg.MAX_UPLOAD_BYTES} bytes`, filename);
	}
	let meta: Metadata;
	try {
		meta = await sharp(bytes, { limitInputPixels: false }).metadata();
	} catch {
		rejectImage('not an image', filename);
	}
	if (!meta.format || !formats.includes(meta.format)) {
		rejectImage(
			`${meta.format ?? 'unknown'} is not accepted here (only ${formats.join(', ')})`,
			filename
		);
	}
	const w = meta.width ?? 0;
	const h = meta.height ?? 0;
	if (w * h > cfg.MAX_IMAGE_PIXELS || w <= 0 || h <= 0) {
		rejectImage(`the image is ${w}x${h} pixels, over the limit`, filename);
	}
	try {
		// Decode every pixel: a truncated or corrupt file fails here, not later in a browser.
		await sharp(bytes, { limitInputPixels: cfg.MAX_IMAGE_PIXELS, failOn: 'error' })
			.raw()
			.toBuffer();
	} catch {
		rejectImage('the image is damaged and could not be decoded', filename);
	}
	return { data: Buffer.from(bytes), mime: `image/${meta.format}`, width: w, height: h };
}
