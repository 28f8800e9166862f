import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { blobs, referenceImages } from '../db/schema';
import { blobStore } from '../blobs/store';
import { zipStream, type ZipEntry } from '../archives/zip-writer';
import { trainingCaptions, type DescriptionCase } from './training';

/** Image file names inside an export: the stored name's last part, made unique and safe. */
function exportStems(filenames: string[]): string[] {
	const seen = new Map<string, number>();
	return filenames.map((f) => {
		const base = (f.split('/').pop() ?? 'image').replace(/[^\w.-]/g, '_').replace(/\.[^.]*$/, '');
		const n = seen.get(base) ?? 0;
		seen.set(base, n + 1);
		return n ? `${base}_${n}` : base;
	});
}

const EXTENSIONS: Record<string, string> = {
	'image/jpeg': '.jpg',
	'image/png': '.png',
	'image/webp': '.webp'
};

export interface ExportRow {
	blobSha256: string;
	caption: string;
	/** The image's name inside every export: stem plus the extension of the stored format. */
	fileName: string;
	stem: string;
}

/**
 * The rows of an export: approved captions (case 1 always), named like the images. The file
 * name's extension is the one of the bytes actually stored, so metadata.jsonl and the images in
 * the dataset ZIP always agree.
 */
export async function exportRows(
	db: Db,
	subjectId: string,
	descriptionCase: DescriptionCase
): Promise<ExportRow[]> {
	const rows = await trainingCaptions(db, subjectId, descriptionCase);
	const files = await db
		.select({ id: referenceImages.id, filename: referenceImages.filename })
		.from(referenceImages)
		.where(eq(referenceImages.subjectId, subjectId));
	const byId = new Map(files.map((f) => [f.id, f.filename]));
	const shas = rows.map((r) => r.blobSha256);
	const mimes = new Map(
		shas.length
			? (
					await db
						.select({ sha: blobs.sha256, mime: blobs.mime })
						.from(blobs)
						.where(inArray(blobs.sha256, shas))
				).map((b) => [b.sha, b.mime])
			: []
	);
	const stems = exportStems(rows.map((r) => byId.get(r.referenceImageId) ?? r.blobSha256));
	return rows.map((r, i) => ({
		blobSha256: r.blobSha256,
		caption: r.caption,
		stem: stems[i],
		fileName: stems[i] + (EXTENSIONS[mimes.get(r.blobSha256) ?? ''] ?? '.png')
	}));
}

/** Hugging Face imagefolder's `metadata.jsonl`: one {"file_name", "text"} line per image. */
export function metadataJsonl(rows: ExportRow[]): string {
	return (
		rows.map((r) => JSON.stringify({ file_name: r.fileName, text: r.caption })).join('\n') + '\n'
	);
}

/**
 * A training set that loads as it is: `metadata.jsonl` next to the images under exactly the
 * names it lists, for `datasets.load_dataset("imagefolder", data_dir=...)` and `sid-gpu train`.
 * The images are the stored bytes (the upload, EXIF-rotated and re-encoded in its own format),
 * the same bytes a GPU worker trains on.
 */
export function datasetZip(rows: ExportRow[]): AsyncGenerator<Uint8Array> {
	async function* entries(): AsyncGenerator<ZipEntry> {
		yield { name: 'metadata.jsonl', data: metadataJsonl(rows) };
		for (const r of rows) {
			const bytes = await blobStore().get(r.blobSha256);
			if (!bytes) throw new Error(`The image ${r.fileName} is missing from the blob store.`);
			yield { name: r.fileName, data: new Uint8Array(bytes) };
		}
	}
	return zipStream(entries());
}

/** A ZIP with one `<image>.txt` per image, the caption layout many trainers read. */
export function captionTxtZip(rows: ExportRow[]): AsyncGenerator<Uint8Array> {
	return zipStream(rows.map((r) => ({ name: `${r.stem}.txt`, data: r.caption + '\n' })));
}
