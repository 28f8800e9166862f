import { posix } from 'node:path';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { referenceImages, subjects } from '../db/schema';
import { config } from '../config';
import { ImageRejected, normalizeImage, storeImage, type NormalizedImage } from '../blobs/images';
import { LIVE_CLASSES, parsePromptsAndClasses } from './dataset';

export const ZIP_LIMITS = { entries: 2000, totalBytes: 512 * 1024 * 1024 };
const CLASSES_FILES = new Set(['prompts_and_classes.txt', 'classes.txt']);
const STYLE_CLASSES = new Set(['painting', 'cartoon']);
const IMAGE_RE = /\.(jpe?g|png|webp)$/i;
const IGNORED_RE = /(^|\/)(__MACOSX\/|\.DS_Store$|Thumbs\.db$)/;

export class ZipRejected extends Error {
	constructor(readonly problems: string[]) {
		super(`Nothing was imported. ${problems.join(' ')}`);
	}
}

function open(bytes: Buffer): Promise<ZipFile> {
	return new Promise((resolve, reject) =>
		yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true }, (err, zip) =>
			err ? reject(new ZipRejected([`Not a readable ZIP file: ${err.message}.`])) : resolve(zip)
		)
	);
}

/** Inflates one entry, stopping as soon as it grows past what is left of the budget. */
function readEntry(zip: ZipFile, entry: Entry, budget: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		zip.openReadStream(entry, (err, stream) => {
			if (err) return reject(err);
			const chunks: Buffer[] = [];
			let size = 0;
			stream.on('data', (c: Buffer) => {
				size += c.length;
				if (size > budget) {
					stream.destroy();
					reject(new ZipRejected([`${entry.fileName}: too large once unpacked.`]));
				} else chunks.push(c);
			});
			stream.on('error', reject);
			stream.on('end', () => resolve(Buffer.concat(chunks)));
		});
	});
}

/** Every file in the ZIP with its bytes, refusing links, odd paths and archives that unpack too big. */
async function readAll(bytes: Buffer): Promise<Map<string, Buffer>> {
	const zip = await open(bytes);
	const files = new Map<string, Buffer>();
	const perFile = config().MAX_UPLOAD_BYTES;
	let total = 0;
	let count = 0;
	try {
		await new Promise<void>((resolve, reject) => {
			zip.on('error', (e: Error) =>
				reject(e instanceof ZipRejected ? e : new ZipRejected([`${e.message}.`]))
			);
			zip.on('end', () => resolve());
			zip.on('entry', async (entry: Entry) => {
				try {
					if (++count > ZIP_LIMITS.entries)
						throw new ZipRejected([`More than ${ZIP_LIMITS.entries} entries.`]);
					const name = entry.fileName;
					const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
					if (mode === 0o120000)
						throw new ZipRejected([`${name}: symbolic links are not allowed.`]);
					if (name.startsWith('/') || name.split('/').includes('..') || name.includes('\\')) {
						throw new ZipRejected([`${name}: the path leaves the archive.`]);
					}
					if (!name.endsWith('/') && !IGNORED_RE.test(name)) {
						const left = Math.min(perFile, ZIP_LIMITS.totalBytes - total);
						const data = await readEntry(zip, entry, left);
						total += data.length;
						files.set(posix.normalize(name), data);
					}
					zip.readEntry();
				} catch (e) {
					reject(e);
				}
			});
			zip.readEntry();
		});
	} finally {
		zip.close();
	}
	return files;
}

export interface ImportedSubject {
	name: string;
	classNoun: string;
	images: number;
}

/**
 * A folder-style dataset ZIP: a classes file (like DreamBooth's `prompts_and_classes.txt`) and
 * `<subject>/<image>` folders next to it, optionally inside one top folder. All or nothing: every
 * entry and image is checked first, and every problem is named.
 */
export async function importSubjectsZip(db: Db, bytes: Buffer): Promise<ImportedSubject[]> {
	const files = await readAll(bytes);
	const classesPath = [...files.keys()].find((f) => CLASSES_FILES.has(posix.basename(f)));
	if (!classesPath)
		throw new ZipRejected(['The ZIP has no prompts_and_classes.txt (or classes.txt).']);
	const root = posix.dirname(classesPath) === '.' ? '' : `${posix.dirname(classesPath)}/`;
	const { classes } = parsePromptsAndClasses(files.get(classesPath)!.toString('utf8'));
	const problems: string[] = [];
	const bySubject = new Map<string, { name: string; img: NormalizedImage }[]>();
	for (const [path, data] of files) {
		if (path === classesPath) continue;
		const rel = path.startsWith(root) ? path.slice(root.length) : null;
		const parts = rel?.split('/') ?? [];
		if (rel && parts.length === 1 && /\.(txt|md)$/i.test(rel)) continue; // licences, readme
		if (!rel || parts.length !== 2 || !IMAGE_RE.test(parts[1])) {
			problems.push(`${path}: expected <subject>/<image>.jpg|png|webp next to ${classesPath}.`);
			continue;
		}
		if (!classes.has(parts[0])) {
			problems.push(`${path}: "${parts[0]}" has no class in ${posix.basename(classesPath)}.`);
			continue;
		}
		try {
			const img = await normalizeImage(data, path);
			bySubject.set(parts[0], [...(bySubject.get(parts[0]) ?? []), { name: rel, img }]);
		} catch (e) {
			if (e instanceof ImageRejected) problems.push(`${e.message}.`);
			else throw e;
		}
	}
	if (bySubject.size === 0 && problems.length === 0)
		problems.push('The ZIP has no subject folders with images.');
	const names = [...bySubject.keys()];
	const existing = names.length
		? await db.select({ name: subjects.name }).from(subjects).where(inArray(subjects.name, names))
		: [];
	for (const e of existing) problems.push(`A subject named "${e.name}" already exists.`);
	if (problems.length) throw new ZipRejected(problems);

	return db.transaction(async (tx) => {
		const out: ImportedSubject[] = [];
		for (const [name, imgs] of bySubject) {
			const classNoun = classes.get(name)!;
			const kind = LIVE_CLASSES.has(classNoun)
				? 'live'
				: STYLE_CLASSES.has(classNoun)
					? 'style'
					: 'object';
			const [s] = await tx
				.insert(subjects)
				.values({ name, classNoun, identifier: 'sks', kind })
				.returning();
			imgs.sort((a, b) => a.name.localeCompare(b.name));
			for (const [i, { name: filename, img }] of imgs.entries()) {
				const blob = await storeImage(tx as unknown as Db, img);
				await tx
					.insert(referenceImages)
					.values({ subjectId: s.id, blobSha256: blob.sha256, filename, position: i })
					.onConflictDoNothing();
			}
			out.push({ name, classNoun, images: imgs.length });
		}
		return out;
	});
}
