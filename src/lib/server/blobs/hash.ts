import { createHash } from 'node:crypto';
import { securityEvent } from '../audit/security-log';
import { refuse } from '../http/refusal';

export const SHA256_RE = /^[0-9a-f]{64}$/;

export function sha256Hex(bytes: Uint8Array): string {
	return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Collects a blob's chunks while hashing them, and hands the bytes back only if they hash to
 * the name they were stored under. A blob changed on disk or in the bucket (bit rot, a
 * tampered file) must never be served under its old hash: /img answers with a year of
 * immutable caching, and exports and workers trust the name. A mismatch is logged as a
 * security event and refused with a 500 that no cache keeps.
 */
export async function verifiedBytes(
	sha256: string,
	chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
	where: string
): Promise<Buffer> {
	const hash = createHash('sha256');
	const parts: Buffer[] = [];
	for await (const chunk of chunks) {
		hash.update(chunk);
		parts.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
	}
	const actual = hash.digest('hex');
	if (actual !== sha256) {
		securityEvent('blob_integrity_failed', { sha256, actual, store: where });
		refuse(500, 'A stored image failed its integrity check; the operator has been told.');
	}
	return Buffer.concat(parts);
}
