import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db';
import { methods, runs, samples, subjects } from '../db/schema';
import { normalizeImage, storeImage, type NormalizedImage } from '../blobs/images';
import { DEFAULT_ZIP_LIMITS, readZipOrRefuse, type ZipLimits } from '../archives/zip-reader';
import { Refusal, refuse } from '../http/refusal';
import { NAMED_TRAINER } from './studies';

/** The manifest format; documented with an example in docs/IMPORT_FORMAT.md. */
export const manifestSchema = z.object({
	images: z
		.array(
			z.object({
				file: z.string().min(1).max(500),
				method: z.string().trim().min(1).max(120),
				subject: z.string().trim().min(1).max(80),
				prompt: z.string().trim().min(1).max(1000),
				seed: z
					.number()
					.int()
					.min(0)
					.max(2 ** 31 - 1)
			})
		)
		.min(1, 'The manifest lists no images.')
});

/** Every problem of an archive at once; the page lists them. */
function rejectImport(problems: string[]): never {
	refuse(400, `Nothing was imported. ${problems.join(' ')}`, {}, { problems });
}

export interface ImportResult {
	images: number;
	added: number;
	runs: number;
}

/**
 * Imports images generated elsewhere, all or nothing: the archive is unpacked under limits,
 * the manifest checked against the files and the subjects, and every image checked by its
 * bytes before anything is written. Each (method, subject) becomes one 'import' run; a
 * re-import of the same (run, prompt, seed) is a no-op.
 */
export async function importSamplesZip(
	db: Db,
	bytes: Buffer,
	limits: ZipLimits = DEFAULT_ZIP_LIMITS
): Promise<ImportResult> {
	const files = await readZipOrRefuse(bytes, limits);
	const problems: string[] = [];
	const manifestBytes = files.get('manifest.json');
	if (!manifestBytes) rejectImport(['manifest.json is missing at the top of the archive.']);
	let manifest: z.infer<typeof manifestSchema>;
	try {
		const parsed = manifestSchema.safeParse(JSON.parse(manifestBytes.toString('utf8')));
		if (!parsed.success) {
			rejectImport(
				parsed.error.issues
					.slice(0, 20)
					.map((i) => `manifest.json ${i.path.join('.')}: ${i.message}.`)
			);
		}
		manifest = parsed.data;
	} catch (e) {
		if (e instanceof Refusal) throw e;
		rejectImport(['manifest.json is not valid JSON.']);
	}
	const listed = new Set(manifest.images.map((m) => m.file));
	for (const name of files.keys()) {
		if (name !== 'manifest.json' && !listed.has(name)) {
			problems.push(`${name}: is not listed in manifest.json.`);
		}
	}
	const names = [...new Set(manifest.images.map((m) => m.subject))];
	const known = await db
		.select({ id: subjects.id, name: subjects.name })
		.from(subjects)
		.where(inArray(subjects.name, names));
	const subjectId = new Map(known.map((s) => [s.name, s.id]));
	const seen = new Set<string>();
	const images: { entry: (typeof manifest.images)[number]; img: NormalizedImage }[] = [];
	for (const entry of manifest.images) {
		const key = `${entry.method}\n${entry.subject}\n${entry.prompt}\n${entry.seed}`;
		if (seen.has(key)) {
			problems.push(`${entry.file}: the same method, subject, prompt and seed appear twice.`);
		}
		seen.add(key);
		if (!subjectId.has(entry.subject)) {
			problems.push(`${entry.file}: no subject is named "${entry.subject}".`);
		}
		const data = files.get(entry.file);
		if (!data) {
			problems.push(`${entry.file}: named in manifest.json but not in the archive.`);
			continue;
		}
		try {
			images.push({ entry, img: await normalizeImage(data, entry.file) });
		} catch (e) {
			if (e instanceof Refusal) problems.push(`${e.message}.`);
			else throw e;
		}
	}
	if (problems.length) rejectImport(problems);

	return db.transaction(async (tx) => {
		const methodNames = [...new Set(manifest.images.map((m) => m.method))];
		for (const name of methodNames)
			await tx.insert(methods).values({ name, trainer: NAMED_TRAINER }).onConflictDoNothing();
		const ms = await tx.select().from(methods).where(inArray(methods.name, methodNames));
		const methodId = new Map(ms.map((m) => [m.name, m.id]));
		const runIds = new Map<string, string>();
		let added = 0;
		for (const { entry, img } of images) {
			const mId = methodId.get(entry.method)!;
			const sId = subjectId.get(entry.subject)!;
			const key = `${mId}:${sId}`;
			let runId = runIds.get(key);
			if (!runId) {
				const [existing] = await tx
					.select({ id: runs.id })
					.from(runs)
					.where(and(eq(runs.methodId, mId), eq(runs.subjectId, sId), eq(runs.source, 'import')));
				runId =
					existing?.id ??
					(
						await tx
							.insert(runs)
							.values({
								methodId: mId,
								subjectId: sId,
								source: 'import',
								state: 'done',
								finishedAt: new Date()
							})
							.returning({ id: runs.id })
					)[0].id;
				runIds.set(key, runId);
			}
			const blob = await storeImage(tx as unknown as Db, img);
			const rows = await tx
				.insert(samples)
				.values({ runId, prompt: entry.prompt, seed: entry.seed, blobSha256: blob.sha256 })
				.onConflictDoNothing()
				.returning({ id: samples.id });
			added += rows.length;
		}
		return { images: images.length, added, runs: runIds.size };
	});
}
