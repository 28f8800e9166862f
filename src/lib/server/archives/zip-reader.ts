import { posix } from 'node:path';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { refuse } from '../http/refusal';

/**
 * The one ZIP reader: every import (study samples, subject datasets) reads archives here,
 * under one set of rules. An archive is hostile until read: its headers may lie about sizes
 * (bombs), its names may climb out of the folder (zip-slip), point at drive letters or hide
 * control characters, and its entries may be symbolic links. Every problem is collected by
 * entry name instead of stopping at the first, so the admin can fix them in one go.
 */
export interface ZipLimits {
	/** Most entries (files and folders) an archive may hold. */
	maxEntries: number;
	/** Most bytes all entries may unpack to, counted while inflating. */
	maxTotalBytes: number;
	/** Most bytes one entry may unpack to (defaults to maxTotalBytes). */
	maxFileBytes?: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 5000, maxTotalBytes: 512 * 1024 * 1024 };

export interface UnzipResult {
	files: Map<string, Buffer>;
	problems: string[];
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** Why a name is refused: absolute, drive letters, backslashes, `..` (zip-slip), controls. */
export function unsafeName(name: string): string | null {
	if (name.includes('\\')) return 'uses a backslash in its path';
	if (/^[a-zA-Z]:/.test(name) || name.startsWith('/')) return 'has an absolute path';
	if (name.split('/').includes('..')) return 'points outside the archive (zip-slip)';
	if ([...name].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127)) {
		return 'has control characters in its name';
	}
	return null;
}

/** Files that zip tools add on their own; skipped, never read. */
function junk(name: string): boolean {
	const base = name.split('/').pop();
	return name.startsWith('__MACOSX/') || base === '.DS_Store' || base === 'Thumbs.db';
}

const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;

/** Inflates one entry, stopping as soon as it grows past `limit`; null when it did. */
function readEntry(zip: ZipFile, entry: Entry, limit: number): Promise<Buffer | null> {
	return new Promise((resolve, reject) => {
		zip.openReadStream(entry, (err, stream) => {
			if (err) return reject(err);
			const chunks: Buffer[] = [];
			let size = 0;
			let over = false;
			stream.on('data', (c: Buffer) => {
				size += c.length;
				if (size > limit) {
					over = true;
					stream.destroy();
					resolve(null);
					return;
				}
				chunks.push(c);
			});
			stream.on('error', (e) => (over ? undefined : reject(e)));
			stream.on('end', () => resolve(Buffer.concat(chunks)));
		});
	});
}

/**
 * Every file of an archive with its bytes, never trusting its headers: the unpacked size is
 * counted while inflating and reading stops at the limits, names are checked before anything
 * is read, and symlinks are refused by their Unix mode.
 */
export async function readZip(bytes: Buffer, limits = DEFAULT_ZIP_LIMITS): Promise<UnzipResult> {
	const files = new Map<string, Buffer>();
	const problems: string[] = [];
	let zip: ZipFile;
	try {
		zip = await yauzl.fromBufferPromise(bytes, {
			lazyEntries: true,
			decodeStrings: false,
			validateEntrySizes: true
		});
	} catch {
		return { files, problems: ['The upload is not a readable ZIP archive.'] };
	}
	if (zip.entryCount > limits.maxEntries) {
		zip.close();
		return {
			files,
			problems: [`The archive has ${zip.entryCount} entries; the limit is ${limits.maxEntries}.`]
		};
	}
	const perFile = Math.min(limits.maxFileBytes ?? Infinity, limits.maxTotalBytes);
	let totalLeft = limits.maxTotalBytes;
	await new Promise<void>((resolve) => {
		const stop = (msg: string) => {
			problems.push(msg);
			zip.close();
			resolve();
		};
		zip.on('error', (e: Error) => stop(`The archive is damaged: ${e.message}.`));
		zip.on('end', () => resolve());
		zip.on('entry', async (entry: Entry) => {
			const raw = entry.fileName as unknown as Buffer;
			const name = yauzl.getFileNameLowLevel(
				entry.generalPurposeBitFlag,
				raw,
				entry.extraFields,
				true
			);
			const bad = unsafeName(name);
			const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
			if (bad) problems.push(`${name}: ${bad}.`);
			else if (mode === S_IFLNK) problems.push(`${name}: is a symbolic link; links are refused.`);
			else if (!name.endsWith('/') && !junk(name)) {
				const limit = Math.min(perFile, totalLeft);
				const tooBig =
					limit === perFile
						? `${name}: unpacks to more than the ${mb(perFile)} one file may hold (zip bomb?).`
						: `${name}: unpacks to more than the ${mb(limits.maxTotalBytes)} the whole archive may hold (zip bomb?).`;
				// The header's size is checked first, then the real one while inflating.
				if (entry.uncompressedSize > limit) return stop(tooBig);
				try {
					const data = await readEntry(zip, entry, limit);
					if (!data) return stop(tooBig);
					totalLeft -= data.length;
					const path = posix.normalize(name);
					if (files.has(path)) problems.push(`${name}: appears twice in the archive.`);
					files.set(path, data);
				} catch (e) {
					problems.push(`${name}: could not be unpacked (${(e as Error).message}).`);
				}
			}
			zip.readEntry();
		});
		zip.readEntry();
	});
	return { files, problems };
}

/** `readZip`, refusing (400, with every problem) an archive that breaks any rule. */
export async function readZipOrRefuse(
	bytes: Buffer,
	limits = DEFAULT_ZIP_LIMITS
): Promise<Map<string, Buffer>> {
	const { files, problems } = await readZip(bytes, limits);
	if (problems.length) {
		refuse(400, `Nothing was imported. ${problems.join(' ')}`, {}, { problems });
	}
	return files;
}
