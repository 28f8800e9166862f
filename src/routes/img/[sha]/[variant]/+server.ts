import { error } from '@sveltejs/kit';
import { isVariant, variantBytes } from '$lib/server/blobs/variants';
import { orRefusal } from '$lib/server/http/refusal';
import type { RequestHandler } from './$types';

/**
 * Images by content hash. Public on purpose: participants have no account, and a sha256 is
 * unguessable. The bytes behind a hash never change, so caches may keep them forever; the
 * store verifies that on every read, and a mismatch is a 500 error that carries no caching.
 */
export const GET: RequestHandler = async ({ params }) => {
	const variant = params.variant;
	if (!isVariant(variant)) error(404, 'Unknown image size.');
	const found = await orRefusal(() => variantBytes(params.sha, variant));
	if (!found) error(404, 'No such image.');
	// A view of the bytes, not a copy: the same buffer may serve many requests.
	const { buffer, byteOffset, byteLength } = found.data;
	const body = new Uint8Array(buffer as ArrayBuffer, byteOffset, byteLength);
	return new Response(body, {
		headers: {
			'content-type': found.mime,
			'cache-control': 'public, max-age=31536000, immutable',
			'content-length': String(found.data.byteLength)
		}
	});
};
