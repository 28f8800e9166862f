// A local S3-compatible server (s3rver) on loopback for scale-out benchmarks and tests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';

export async function startS3(): Promise<{
	env: Record<string, string>;
	stop: () => Promise<void>;
}> {
	const server = new S3rver({
		port: 0,
		address: '127.0.0.1',
		silent: true,
		directory: mkdtempSync(join(tmpdir(), 'sid-s3-')),
		configureBuckets: [{ name: 'sid-bench', configs: [] }]
	});
	const { port } = (await server.run()) as AddressInfo;
	return {
		env: {
			S3_BUCKET: 'sid-bench',
			S3_ENDPOINT: `http://127.0.0.1:${port}`,
			S3_ACCESS_KEY_ID: 'S3RVER',
			S3_SECRET_ACCESS_KEY: 'S3RVER'
		},
		stop: () => server.close()
	};
}
