import { posix } from 'node:path';
import { inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { referenceImages, subjects } from '../db/schema';
import { config } from '../config';
import { normalizeImage, storeImage, type NormalizedImage } from '../blobs/images';
import { readZipOrRefuse, type ZipLimits } from '../archives/zip-reader';
import { Refusal, refuse } from '../http/refusal';
import { LIVE_CLASSES, parsePromptsAndClasses } from './dataset';

/** Per file: the upload limit for one image; in all: a DreamBooth-sized dataset many times over. */
export const zipLimits = (): ZipLimits => ({
	maxEntries: 2000,
	maxTotalBytes: 512 * 1024 * 1024,
	maxFileBytes: config().MAX_UPLOAD_BYTES
});
const CLASSES_FILES = new Set(['prompts_and_classes.txt', 'classes.txt']);
const STYLE_CLASSES = new Set(['painting', 'cartoon']);
const IMAGE_RE = /\.(jpe?g|png|webp)$/i;

/** Every problem of a dataset at once; the page lists them. */
function rejectDataset(problems: string[]): never {
	refuse(400, `Nothing was imported. ${problems.join(' ')}`, {}, { problems });
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
	const files = await readZipOrRefuse(bytes, zipLimits());
	const classesPath = [...files.keys()].find((f) => CLASSES_FILES.has(posix.basename(f)));
	if (!classesPath) rejectDataset(['The ZIP has no prompts_and_classes.txt (or classes.txt).']);
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
			if (e instanceof Refusal) problems.push(`${e.message}.`);
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
	if (problems.length) rejectDataset(problems);

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
