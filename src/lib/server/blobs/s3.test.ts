import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Store } from './s3';
import { sha256Hex } from './hash';

/** The S3 backend against a real S3-compatible server (s3rver) on 127.0.0.1. */
describe('S3 blob store', () => {
	let server: S3rver;
	let store: S3Store;

	beforeAll(async () => {
		server = new S3rver({
			port: 0,
			address: '127.0.0.1',
			silent: true,
			directory: mkdtempSync(join(tmpdir(), 'sid-s3-')),
			configureBuckets: [{ name: 'sid-test', configs: [] }]
		});
		const { port } = (await server.run()) as AddressInfo;
		store = new S3Store({
			bucket: 'sid-test',
			endpoint: `http://127.0.0.1:${port}`,
			accessKeyId: 'S3RVER',
			secretAccessKey: 'S3RVER'
		});
	});
	afterAll(async () => server.close());

	it('stores by content hash, reads back, and treats repeats as no-ops', async () => {
		const bytes = new TextEncoder().encode('not really an image, the store does not care');
		const sha = await store.put(bytes);
		expect(sha).toBe(sha256Hex(bytes));
		expect(await store.has(sha)).toBe(true);
		expect(await store.put(bytes)).toBe(sha);
		expect((await store.get(sha))?.toString()).toBe('not really an image, the store does not care');
	});

	it('answers null for a missing blob and refuses non-hash keys', async () => {
		expect(await store.get('a'.repeat(64))).toBeNull();
		expect(await store.has('b'.repeat(64))).toBe(false);
		expect(await store.get('../../etc/passwd')).toBeNull();
	});
});
