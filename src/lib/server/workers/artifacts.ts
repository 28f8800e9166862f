import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { blobs, jobUploads, type WorkerToken } from '../db/schema';
import { blobStore, sha256Hex } from '../blobs/store';
import { storeImage, verifyImage } from '../blobs/images';
import { Refusal, refuse } from '../http/refusal';
import { jobsHeldBy } from './leases';

/** The formats a worker may upload (samples and attention overlays). */
export const ARTIFACT_TYPES: Record<string, string> = { 'image/png': 'png', 'image/webp': 'webp' };

/** Every sha256 a job payload names: reference images and their masks. */
function namedBlobs(payload: unknown): Set<string> {
	const out = new Set<string>();
	const refs = (payload as { reference_images?: unknown })?.reference_images;
	if (!Array.isArray(refs)) return out;
	for (const r of refs as { sha256?: unknown; mask_sha256?: unknown }[]) {
		if (typeof r?.sha256 === 'string') out.add(r.sha256);
		if (typeof r?.mask_sha256 === 'string') out.add(r.mask_sha256);
	}
	return out;
}

/** The bytes and type of a blob, only if a job this token holds names it. */
export async function blobForWorker(
	db: Db,
	token: WorkerToken,
	sha256: string
): Promise<{ data: Buffer; mime: string } | null> {
	const held = await jobsHeldBy(db, token);
	if (!held.some((j) => namedBlobs(j.payload).has(sha256))) return null;
	const [row] = await db.select().from(blobs).where(eq(blobs.sha256, sha256));
	const data = row ? await blobStore().get(sha256) : null;
	return row && data ? { data, mime: row.mime } : null;
}

/**
 * Stores an uploaded artifact exactly as received: the bytes must hash to the sha256 the
 * worker named and be a valid image of the declared type. Idempotent by content; every
 * upload, new bytes or not, is recorded for the job it was made for (see `jobUploads`).
 */
export async function storeArtifact(
	db: Db,
	upload: { jobId: string; leaseId: string },
	sha256: string,
	bytes: Uint8Array,
	contentType: string
): Promise<'stored' | 'existing'> {
	const outcome = await storeArtifactBytes(db, sha256, bytes, contentType);
	await db
		.insert(jobUploads)
		.values({ jobId: upload.jobId, leaseId: upload.leaseId, sha256 })
		.onConflictDoNothing();
	return outcome;
}

/** The sha256s among `shas` that were never uploaded for this job. */
export async function notUploadedFor(db: Db, jobId: string, shas: string[]): Promise<string[]> {
	if (shas.length === 0) return [];
	const rows = await db
		.select({ sha256: jobUploads.sha256 })
		.from(jobUploads)
		.where(and(eq(jobUploads.jobId, jobId), inArray(jobUploads.sha256, shas)));
	const have = new Set(rows.map((r) => r.sha256));
	return shas.filter((s) => !have.has(s));
}

async function storeArtifactBytes(
	db: Db,
	sha256: string,
	bytes: Uint8Array,
	contentType: string
): Promise<'stored' | 'existing'> {
	const actual = sha256Hex(bytes);
	if (actual !== sha256) {
		refuse(400, `The bytes hash to ${actual}, not to ${sha256}.`);
	}
	const [existing] = await db
		.select({ sha256: blobs.sha256 })
		.from(blobs)
		.where(eq(blobs.sha256, sha256));
	if (existing && (await blobStore().has(sha256))) return 'existing';
	let img;
	try {
		img = await verifyImage(bytes, [ARTIFACT_TYPES[contentType]]);
	} catch (e) {
		if (e instanceof Refusal) refuse(400, `Not a valid image: ${e.message}.`);
		throw e;
	}
	const blob = await storeImage(db, img);
	if (blob.sha256 !== sha256) throw new Error('blob store changed the bytes');
	return existing ? 'existing' : 'stored';
}
