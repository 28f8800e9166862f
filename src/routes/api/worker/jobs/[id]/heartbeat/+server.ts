import { json } from '@sveltejs/kit';
import { config } from '$lib/server/config';
import { readJson } from '$lib/server/http/body';
import { heartbeatForWorker } from '$lib/server/workers/leases';
import { jobIdParam, workerCall } from '$lib/server/workers/http';
import { heartbeatRequest } from '$lib/server/workers/protocol';
import type { RequestHandler } from './$types';

/** Extends the lease, records stage and progress, and tells the worker whether to stop. */
export const POST: RequestHandler = (event) =>
	workerCall(event, async ({ db, token }) => {
		const id = jobIdParam(event.params.id);
		const body = await readJson(event.request, heartbeatRequest);
		return json(await heartbeatForWorker(db, token, id, body, config().WORKER_LEASE_SECONDS));
	});
