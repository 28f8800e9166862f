import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeImage } from '../testing/images';
import { Refusal } from '../http/refusal';
import { LocalDiskStore, useBlobStore } from './store';
import { S3Store } from './s3';
import { variantBytes } from './variants';
import { GET } from '../../../routes/img/[sha]/[variant]/+server';

/** Blob bytes changed behind their hash are refused, logged, never cached, on both stores. */
function expectIntegrityRefusal(warn: { mock: { calls: unknown[][] } }, sha: string) {
	const events = warn.mock.calls.map((c) => JSON.parse(String(c[0])));
	expect(events).toContainEqual(
		expect.objectContaining({ event: 'blob_integrity_failed', sha256: sha })
	);
}

async function getImage(sha: string, variant: string): Promise<Response | { status: number }> {
	const event = { params: { sha, variant } } as unknown as Parameters<typeof GET>[0];
	try {
		return await GET(event);
	} catch (e) {
		return e as { status: number };
	}
}

describe('blob integrity on local disk', () => {
	const root = mkdtempSync(join(tmpdir(), 'sid-blob-integrity-'));
	const store = new LocalDiskStore(root);
	const pathOf = (sha: string) => join(root, sha.slice(0, 2), sha.slice(2, 4), sha);
	beforeAll(() => useBlobStore(store));
	afterAll(() => useBlobStore(undefined));
	afterEach(() => vi.restoreAllMocks());

	it('serves intact bytes with immutable caching', async () => {
		const sha = await store.put(await makeImage('png', 40));
		const res = (await getImage(sha, 'orig')) as Response;
		expect(res.status).toBe(200);
		expect(res.headers.get('cache-control')).toContain('immutable');
	});

	it('refuses a blob changed on disk, logs it, and the route answers 500 without caching', async () => {
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		const sha = await store.put(await makeImage('png', 40, { r: 1, g: 2, b: 3 }));
		writeFileSync(pathOf(sha), await makeImage('png', 40, { r: 200, g: 2, b: 3 }));
		const err = await store.get(sha).catch((e) => e);
		expect(err).toBeInstanceOf(Refusal);
		expect(err.status).toBe(500);
		expectIntegrityRefusal(warn, sha);
		const res = await getImage(sha, 'orig');
		expect(res.status).toBe(500);
		expect(res instanceof Response).toBe(false); // a thrown HttpError: no cache headers at all
	});

	it('a cached variant does not outlive a changed original', async () => {
		vi.spyOn(console, 'warn').mockImplementation(() => {});
		const good = await makeImage('png', 300, { r: 9, g: 9, b: 9 });
		const sha = await store.put(good);
		expect((await variantBytes(sha, '256'))?.mime).toBe('image/webp'); // now cached
		expect((await variantBytes(sha, '256'))?.mime).toBe('image/webp'); // served from cache
		writeFileSync(pathOf(sha), await makeImage('png', 300, { r: 250, g: 0, b: 0 }));
		await expect(variantBytes(sha, '256')).rejects.toBeInstanceOf(Refusal);
		expect((await getImage(sha, '256')).status).toBe(500);
		writeFileSync(pathOf(sha), good); // repaired: served again
		expect((await variantBytes(sha, '256'))?.mime).toBe('image/webp');
	});

	it('serves a repeated request from memory, and reads the original again once it changed', async () => {
		vi.spyOn(console, 'warn').mockImplementation(() => {});
		const sha = await store.put(await makeImage('png', 300, { r: 40, g: 9, b: 9 }));
		const reads = vi.spyOn(store, 'get');
		const first = await variantBytes(sha, '512');
		for (let i = 0; i < 5; i++) expect(await variantBytes(sha, '512')).toBe(first);
		expect(reads).toHaveBeenCalledTimes(1);
		// The same bytes written again: a changed file, so verified again (and still good).
		writeFileSync(pathOf(sha), await makeImage('png', 300, { r: 40, g: 9, b: 9 }));
		expect((await variantBytes(sha, '512'))?.data).toEqual(first?.data);
		expect(reads).toHaveBeenCalledTimes(2);
	});
});

describe('blob integrity in an S3 bucket', () => {
	let server: S3rver;
	let store: S3Store;
	let client: S3Client;
	beforeAll(async () => {
		server = new S3rver({
			port: 0,
			address: '127.0.0.1',
			silent: true,
			directory: mkdtempSync(join(tmpdir(), 'sid-s3-integrity-')),
			configureBuckets: [{ name: 'sid-test', configs: [] }]
		});
		const { port } = (await server.run()) as AddressInfo;
		const opts = {
			endpoint: `http://127.0.0.1:${port}`,
			region: 'us-east-1',
			forcePathStyle: true,
			credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }
		};
		store = new S3Store({
			bucket: 'sid-test',
			...opts,
			accessKeyId: 'S3RVER',
			secretAccessKey: 'S3RVER'
		});
		client = new S3Client(opts);
	});
	afterAll(async () => {
		client.destroy();
		await server.close();
	});

	it('refuses an object overwritten under its hash', async () => {
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		const bytes = new TextEncoder().encode('the original bytes');
		const sha = await store.put(bytes);
		expect((await store.get(sha))?.toString()).toBe('the original bytes');
		await client.send(
			new PutObjectCommand({
				Bucket: 'sid-test',
				Key: `blobs/${sha.slice(0, 2)}/${sha}`,
				Body: 'swapped behind the hash'
			})
		);
		const err = await store.get(sha).catch((e) => e);
		expect(err).toBeInstanceOf(Refusal);
		expect(err.status).toBe(500);
		expectIntegrityRefusal(warn, sha);
		warn.mockRestore();
	});

	it('keeps a served variant only while the object is the one verified', async () => {
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		useBlobStore(store);
		try {
			const sha = await store.put(await makeImage('png', 300, { r: 9, g: 90, b: 9 }));
			const reads = vi.spyOn(store, 'get');
			const first = await variantBytes(sha, '256');
			expect(await variantBytes(sha, '256')).toBe(first);
			expect(reads).toHaveBeenCalledTimes(1);
			await client.send(
				new PutObjectCommand({
					Bucket: 'sid-test',
					Key: `blobs/${sha.slice(0, 2)}/${sha}`,
					Body: await makeImage('png', 300, { r: 250, g: 0, b: 0 })
				})
			);
			await expect(variantBytes(sha, '256')).rejects.toBeInstanceOf(Refusal);
			expectIntegrityRefusal(warn, sha);
		} finally {
			useBlobStore(undefined);
			vi.restoreAllMocks();
		}
	});
});
