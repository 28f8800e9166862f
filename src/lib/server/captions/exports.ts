import { crc32 } from 'node:zlib';
import type { Db } from '../db';
import { referenceImages } from '../db/schema';
import { eq } from 'drizzle-orm';
import { trainingCaptions, type DescriptionCase } from './training';

/** Image file names inside an export: the stored name's last part, made unique and safe. */
function exportNames(filenames: string[]): string[] {
	const seen = new Map<string, number>();
	return filenames.map((f) => {
		const base = (f.split('/').pop() ?? 'image').replace(/[^\w.-]/g, '_').replace(/\.[^.]*$/, '');
		const n = seen.get(base) ?? 0;
		seen.set(base, n + 1);
		return n ? `${base}_${n}` : base;
	});
}

/** The rows of an export: approved captions (case 1 always), named like the images. */
export async function exportRows(db: Db, subjectId: string, descriptionCase: DescriptionCase) {
	const rows = await trainingCaptions(db, subjectId, descriptionCase);
	const files = await db
		.select({ id: referenceImages.id, filename: referenceImages.filename })
		.from(referenceImages)
		.where(eq(referenceImages.subjectId, subjectId));
	const byId = new Map(files.map((f) => [f.id, f.filename]));
	const names = exportNames(rows.map((r) => byId.get(r.referenceImageId) ?? r.blobSha256));
	return rows.map((r, i) => ({ ...r, stem: names[i] }));
}

/**
 * diffusers' imagefolder `metadata.jsonl`: one {"file_name", "text"} line per image. The images
 * are exported as PNG next to it, hence the .png names.
 */
export function metadataJsonl(rows: { stem: string; caption: string }[]): string {
	return (
		rows.map((r) => JSON.stringify({ file_name: `${r.stem}.png`, text: r.caption })).join('\n') +
		'\n'
	);
}

/** A ZIP with one `<image>.txt` per image (the caption layout many trainers read), stored uncompressed. */
export function captionTxtZip(rows: { stem: string; caption: string }[]): Buffer {
	return storedZip(
		rows.map((r) => ({ name: `${r.stem}.txt`, data: Buffer.from(r.caption + '\n', 'utf8') }))
	);
}

/** A minimal ZIP writer (method 0, no compression): the captions are tiny text files. */
export function storedZip(files: { name: string; data: Buffer }[]): Buffer {
	const locals: Buffer[] = [];
	const centrals: Buffer[] = [];
	let offset = 0;
	for (const f of files) {
		const name = Buffer.from(f.name, 'utf8');
		const crc = crc32(f.data);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(0x0800, 6); // UTF-8 names
		local.writeUInt32LE(crc, 14);
		local.writeUInt32LE(f.data.length, 18);
		local.writeUInt32LE(f.data.length, 22);
		local.writeUInt16LE(name.length, 26);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt16LE(0x0800, 8);
		central.writeUInt32LE(crc, 16);
		central.writeUInt32LE(f.data.length, 20);
		central.writeUInt32LE(f.data.length, 24);
		central.writeUInt16LE(name.length, 28);
		central.writeUInt32LE(offset, 42);
		locals.push(local, name, f.data);
		centrals.push(central, name);
		offset += 30 + name.length + f.data.length;
	}
	const cd = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(files.length, 8);
	end.writeUInt16LE(files.length, 10);
	end.writeUInt32LE(cd.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, cd, end]);
}
