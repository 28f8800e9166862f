import { json } from '@sveltejs/kit';
import { config } from '$lib/server/config';
import { readJson } from '$lib/server/http/body';
import { claimForWorker, envelope } from '$lib/server/workers/leases';
import { clientGone, workerCall } from '$lib/server/workers/http';
import { claimRequest } from '$lib/server/workers/protocol';
import { touchWorkerToken } from '$lib/server/workers/tokens';
import type { RequestHandler } from './$types';

/** Long-poll for a GPU job (docs/WORKER_API.md): 200 with the job, or 204 after wait_seconds. */
export const POST: RequestHandler = (event) =>
	workerCall(event, async ({ db, token }) => {
		const body = await readJson(event.request, claimRequest);
		await touchWorkerToken(db, token.id, body.worker_name);
		const leaseSeconds = config().WORKER_LEASE_SECONDS;
		const job = await claimForWorker(db, token, {
			workerName: body.worker_name,
			kinds: body.kinds,
			leaseSeconds,
			waitSeconds: body.wait_seconds,
			signal: clientGone(event)
		});
		if (!job) return new Response(null, { status: 204 });
		return json({ job: envelope(job, leaseSeconds) });
	});
