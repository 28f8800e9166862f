import { createReadStream } from 'node:fs';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { config } from '../config';
import { S3Store } from './s3';
import { SHA256_RE, sha256Hex, verifiedBytes } from './hash';

/** Where image bytes live, addressed by their sha256. Local disk by default. */
export interface BlobStore {
	put(bytes: Uint8Array): Promise<string>;
	/** The bytes, checked against their name (a mismatch is refused, see `verifiedBytes`). */
	get(sha256: string): Promise<Buffer | null>;
	has(sha256: string): Promise<boolean>;
	/**
	 * A cheap token that changes whenever the stored bytes may have changed, null when there
	 * are none: lets a reader keep what it derived from bytes it verified without reading
	 * them again on every request (`variants.ts`).
	 */
	fingerprint(sha256: string): Promise<string | null>;
}

export { SHA256_RE, sha256Hex };

export class LocalDiskStore implements BlobStore {
	constructor(private readonly root: string) {}

	private path(sha: string): string {
		if (!SHA256_RE.test(sha)) throw new Error('not a sha256');
		return join(this.root, sha.slice(0, 2), sha.slice(2, 4), sha);
	}

	async put(bytes: Uint8Array): Promise<string> {
		const sha = sha256Hex(bytes);
		const target = this.path(sha);
		if (await this.has(sha)) return sha;
		await mkdir(dirname(target), { recursive: true });
		// Write then rename: a reader never sees a half-written blob, and concurrent puts of the same bytes are harmless.
		const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
		await writeFile(tmp, bytes);
		await rename(tmp, target);
		return sha;
	}

	async get(sha: string): Promise<Buffer | null> {
		try {
			// Hashed while streaming in: one pass over the file, no second read.
			return await verifiedBytes(sha, createReadStream(this.path(sha)), 'local');
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
			throw e;
		}
	}

	async has(sha: string): Promise<boolean> {
		try {
			await stat(this.path(sha));
			return true;
		} catch {
			return false;
		}
	}

	/** Inode, size, and modification and change times in nanoseconds: a write changes the ctime. */
	async fingerprint(sha: string): Promise<string | null> {
		try {
			const s = await stat(this.path(sha), { bigint: true });
			return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
			throw e;
		}
	}
}

let store: BlobStore | undefined;

/** S3_BUCKET set: an S3-compatible bucket shared by every instance; else local disk. */
export function blobStore(): BlobStore {
	if (!store) {
		const cfg = config();
		store = cfg.S3_BUCKET
			? new S3Store({
					bucket: cfg.S3_BUCKET,
					endpoint: cfg.S3_ENDPOINT,
					region: cfg.S3_REGION,
					prefix: cfg.S3_PREFIX,
					accessKeyId: cfg.S3_ACCESS_KEY_ID,
					secretAccessKey: cfg.S3_SECRET_ACCESS_KEY
				})
			: new LocalDiskStore(join(config().dataDir, 'blobs'));
	}
	return store;
}

/** Tests and alternative backends install their own store. */
export function useBlobStore(s: BlobStore | undefined): void {
	store = s;
}
