import { asc, count, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db';
import { referenceImages, subjects, subjectKind, type Subject } from '../db/schema';
import { identifierPieces } from '../captions/clip-tokenizer';
import { Refusal, refuse } from '../http/refusal';
import { normalizeImage, storeImage, type NormalizedImage } from '../blobs/images';

export const subjectInput = z.object({
	name: z
		.string()
		.trim()
		.min(1, 'Give the subject a name.')
		.max(80)
		.regex(/^[\w .-]+$/, 'Names use letters, digits, spaces, dots, dashes and underscores.'),
	classNoun: z.string().trim().min(1, 'Give the class noun, e.g. "dog".').max(60),
	identifier: z
		.string()
		.trim()
		.regex(/^[a-z0-9]{2,12}$/i, 'The identifier is one rare token such as "sks".')
		// [v] must be one token of the text encoder's own vocabulary (CLIP's BPE).
		.superRefine((id, ctx) => {
			const pieces = identifierPieces(id);
			if (pieces.length > 1)
				ctx.addIssue({
					code: 'custom',
					message: `CLIP's tokenizer splits "${id}" into ${pieces.map((p) => `"${p}"`).join(' + ')}; choose an identifier that is one token, such as "sks".`
				});
		})
		.default('sks'),
	kind: z.enum(subjectKind.enumValues).default('object')
});
export type SubjectInput = z.infer<typeof subjectInput>;

export async function createSubject(db: Db, input: SubjectInput): Promise<Subject> {
	const [row] = await db.insert(subjects).values(input).returning();
	return row;
}

export async function listSubjects(db: Db) {
	return db
		.select({
			id: subjects.id,
			name: subjects.name,
			classNoun: subjects.classNoun,
			identifier: subjects.identifier,
			kind: subjects.kind,
			images: count(referenceImages.id),
			cover: sql<string | null>`min(${referenceImages.blobSha256})`
		})
		.from(subjects)
		.leftJoin(referenceImages, eq(referenceImages.subjectId, subjects.id))
		.groupBy(subjects.id)
		.orderBy(asc(subjects.name));
}

export async function getSubject(db: Db, id: string) {
	const [subject] = await db.select().from(subjects).where(eq(subjects.id, id));
	if (!subject) return null;
	const images = await db
		.select()
		.from(referenceImages)
		.where(eq(referenceImages.subjectId, id))
		.orderBy(asc(referenceImages.position), asc(referenceImages.createdAt));
	return { ...subject, images };
}

/** All problems of an upload at once, so the admin fixes them in one go. */
function rejectUpload(problems: string[]): never {
	refuse(400, `Nothing was stored. ${problems.join(' ')}`, {}, { problems });
}

/**
 * All or nothing: every file is checked and re-encoded first, and only when all pass are
 * the blobs and rows written. Re-adding an image the subject already has is a no-op.
 */
export async function addReferenceImages(
	db: Db,
	subjectId: string,
	files: { name: string; bytes: Uint8Array }[]
): Promise<number> {
	if (files.length === 0) rejectUpload(['Choose at least one image.']);
	const problems: string[] = [];
	const normalized: { name: string; img: NormalizedImage }[] = [];
	for (const f of files) {
		try {
			normalized.push({ name: f.name, img: await normalizeImage(f.bytes, f.name) });
		} catch (e) {
			if (e instanceof Refusal) problems.push(`${e.message}.`);
			else throw e;
		}
	}
	if (problems.length) rejectUpload(problems);
	const [{ n }] = await db
		.select({ n: count() })
		.from(referenceImages)
		.where(eq(referenceImages.subjectId, subjectId));
	return db.transaction(async (tx) => {
		let added = 0;
		for (const [i, { name, img }] of normalized.entries()) {
			const blob = await storeImage(tx as unknown as Db, img);
			const rows = await tx
				.insert(referenceImages)
				.values({ subjectId, blobSha256: blob.sha256, filename: name, position: n + i })
				.onConflictDoNothing()
				.returning({ id: referenceImages.id });
			added += rows.length;
		}
		return added;
	});
}
