import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { config } from '$lib/server/config';
import { readLimited } from '$lib/server/http/body';
import { SHA256_RE } from '$lib/server/blobs/store';
import { heldJob } from '$lib/server/workers/leases';
import { ARTIFACT_TYPES, blobForWorker, storeArtifact } from '$lib/server/workers/artifacts';
import { workerCall } from '$lib/server/workers/http';
import { refuse } from '$lib/server/http/refusal';
import type { RequestHandler } from './$types';

function shaParam(sha: string | undefined): string {
	if (!sha || !SHA256_RE.test(sha)) refuse(400, 'Invalid sha256.');
	return sha;
}

/** A reference image or mask of a job the worker holds; anything else is 404. */
export const GET: RequestHandler = (event) =>
	workerCall(event, async ({ db, token }) => {
		const blob = await blobForWorker(db, token, shaParam(event.params.sha256));
		if (!blob) refuse(404, 'No such blob in a job you hold.');
		return new Response(new Uint8Array(blob.data), {
			headers: { 'content-type': blob.mime, 'content-length': String(blob.data.byteLength) }
		});
	});

const leaseHeaders = z.object({ job: z.uuid(), lease: z.uuid() });

/** Uploads a sample or attention overlay for the held job; 201 stored, 200 already had it. */
export const PUT: RequestHandler = (event) =>
	workerCall(event, async ({ db, token }) => {
		const sha = shaParam(event.params.sha256);
		const h = leaseHeaders.safeParse({
			job: event.request.headers.get('x-job-id'),
			lease: event.request.headers.get('x-lease-id')
		});
		if (!h.success) refuse(400, 'Send X-Job-Id and X-Lease-Id (uuids).');
		const type = (event.request.headers.get('content-type') ?? '').split(';')[0].trim();
		if (!ARTIFACT_TYPES[type]) {
			refuse(415, 'Upload image/png or image/webp.');
		}
		await heldJob(db, token, h.data.job, h.data.lease);
		const bytes = await readLimited(event.request, config().MAX_UPLOAD_BYTES);
		const upload = { jobId: h.data.job, leaseId: h.data.lease };
		const outcome = await storeArtifact(db, upload, sha, bytes, type);
		return json({ ok: true, sha256: sha }, { status: outcome === 'stored' ? 201 : 200 });
	});
