import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import type { Db } from '../db';
import { referenceImages } from '../db/schema';
import { normalizeImage, storeImage } from '../blobs/images';
import { refuse } from '../http/refusal';
import { blobStore } from '../blobs/store';

/**
 * A subject mask for one reference image: checked like any image, and it must have the
 * reference image's size so a trainer can apply it pixel for pixel.
 */
export async function setMask(
	db: Db,
	subjectId: string,
	referenceImageId: string,
	file: { name: string; bytes: Uint8Array }
): Promise<string> {
	const [image] = await db
		.select()
		.from(referenceImages)
		.where(and(eq(referenceImages.id, referenceImageId), eq(referenceImages.subjectId, subjectId)));
	if (!image) refuse(404, 'No such reference image in this subject.');
	const mask = await normalizeImage(file.bytes, file.name);
	const original = await blobStore().get(image.blobSha256);
	if (!original) refuse(409, 'The reference image is missing from the blob store.');
	const a = await sharp(original).metadata();
	if (a.width !== mask.width || a.height !== mask.height) {
		refuse(
			400,
			`${file.name}: the mask is ${mask.width}x${mask.height} but the image is ${a.width}x${a.height}.`
		);
	}
	const blob = await storeImage(db, mask);
	await db
		.update(referenceImages)
		.set({ maskSha256: blob.sha256 })
		.where(eq(referenceImages.id, image.id));
	return blob.sha256;
}
