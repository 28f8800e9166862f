import {
	GetObjectCommand,
	HeadObjectCommand,
	NoSuchKey,
	NotFound,
	PutObjectCommand,
	S3Client
} from '@aws-sdk/client-s3';
import { SHA256_RE, sha256Hex, verifiedBytes } from './hash';
import type { BlobStore } from './store';

export interface S3Options {
	bucket: string;
	endpoint?: string;
	region?: string;
	prefix?: string;
	accessKeyId?: string;
	secretAccessKey?: string;
	/** Path-style URLs, as most self-hosted S3-compatible servers (MinIO, s3rver) expect. */
	forcePathStyle?: boolean;
}

/** Blobs in an S3-compatible bucket, so several app instances share one store. */
export class S3Store implements BlobStore {
	private readonly client: S3Client;

	constructor(private readonly opts: S3Options) {
		this.client = new S3Client({
			endpoint: opts.endpoint,
			region: opts.region ?? 'us-east-1',
			forcePathStyle: opts.forcePathStyle ?? Boolean(opts.endpoint),
			credentials:
				opts.accessKeyId && opts.secretAccessKey
					? { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey }
					: undefined
		});
	}

	private key(sha: string): string {
		if (!SHA256_RE.test(sha)) throw new Error('not a sha256');
		return `${this.opts.prefix ?? 'blobs/'}${sha.slice(0, 2)}/${sha}`;
	}

	async put(bytes: Uint8Array): Promise<string> {
		const sha = sha256Hex(bytes);
		// Content-addressed: the same key always holds the same bytes, so a repeated put is harmless.
		if (await this.has(sha)) return sha;
		await this.client.send(
			new PutObjectCommand({ Bucket: this.opts.bucket, Key: this.key(sha), Body: bytes })
		);
		return sha;
	}

	async get(sha: string): Promise<Buffer | null> {
		if (!SHA256_RE.test(sha)) return null;
		try {
			const out = await this.client.send(
				new GetObjectCommand({ Bucket: this.opts.bucket, Key: this.key(sha) })
			);
			// The SDK's body in Node is a Readable: hashed chunk by chunk as it arrives.
			return await verifiedBytes(sha, out.Body as AsyncIterable<Uint8Array>, 's3');
		} catch (e) {
			if (e instanceof NoSuchKey || (e as { name?: string }).name === 'NoSuchKey') return null;
			throw e;
		}
	}

	async has(sha: string): Promise<boolean> {
		return (await this.fingerprint(sha)) !== null;
	}

	/** The object's ETag, size and last-modified time: an overwrite changes them. */
	async fingerprint(sha: string): Promise<string | null> {
		try {
			const head = await this.client.send(
				new HeadObjectCommand({ Bucket: this.opts.bucket, Key: this.key(sha) })
			);
			return `${head.ETag}:${head.ContentLength}:${head.LastModified?.getTime()}`;
		} catch (e) {
			if (e instanceof NotFound || (e as { name?: string }).name === 'NotFound') return null;
			throw e;
		}
	}
}
