import yauzl, { type Entry, type ZipFile } from 'yauzl';

export interface ZipLimits {
	/** Most entries (files and folders) an archive may hold. */
	maxEntries: number;
	/** Most bytes all entries may unpack to, counted while inflating. */
	maxTotalBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 5000, maxTotalBytes: 512 * 1024 * 1024 };

export interface UnzipResult {
	files: Map<string, Buffer>;
	problems: string[];
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** Names we refuse: absolute, drive letters, backslashes, `..` segments (zip-slip). */
export function unsafeName(name: string): string | null {
	if (name.includes('\\')) return 'uses a backslash in its path';
	if (/^[a-zA-Z]:/.test(name) || name.startsWith('/')) return 'has an absolute path';
	if (name.split('/').includes('..')) return 'points outside the archive (zip-slip)';
	if ([...name].some((c) => c.charCodeAt(0) < 32)) return 'has control characters in its name';
	return null;
}

function junk(name: string): boolean {
	return name.startsWith('__MACOSX/') || name.split('/').pop() === '.DS_Store';
}

function readEntry(zip: ZipFile, entry: Entry, budget: { left: number }): Promise<Buffer | null> {
	return new Promise((resolve, reject) => {
		zip.openReadStream(entry, (err, stream) => {
			if (err) return reject(err);
			const chunks: Buffer[] = [];
			let over = false;
			stream.on('data', (c: Buffer) => {
				budget.left -= c.length;
				if (budget.left < 0) {
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
 * Reads every file of an archive into memory, never trusting its headers: the unpacked size
 * is counted while inflating and reading stops at the limit (zip bombs), names are checked
 * before anything is read (zip-slip), and symlinks are refused by their Unix mode.
 * Collects every problem by entry name instead of stopping at the first.
 */
export async function unzipChecked(
	bytes: Buffer,
	limits = DEFAULT_ZIP_LIMITS
): Promise<UnzipResult> {
	const files = new Map<string, Buffer>();
	const problems: string[] = [];
	let zip: ZipFile;
	try {
		zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true, decodeStrings: false });
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
	const budget = { left: limits.maxTotalBytes };
	await new Promise<void>((resolve) => {
		const fail = (msg: string) => {
			problems.push(msg);
			zip.close();
			resolve();
		};
		zip.on('error', (e: Error) => fail(`The archive is damaged: ${e.message}.`));
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
				if (entry.uncompressedSize > budget.left) {
					return fail(
						`${name}: unpacks to more than the ${Math.round(limits.maxTotalBytes / 2 ** 20)} MB the whole archive may hold (zip bomb?).`
					);
				}
				try {
					const data = await readEntry(zip, entry, budget);
					if (!data) {
						return fail(
							`${name}: unpacks to more than the ${Math.round(limits.maxTotalBytes / 2 ** 20)} MB the whole archive may hold (zip bomb?).`
						);
					}
					if (files.has(name)) problems.push(`${name}: appears twice in the archive.`);
					files.set(name, data);
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
