import { json } from '@sveltejs/kit';
import { readJson } from '$lib/server/http/body';
import { failForWorker } from '$lib/server/workers/leases';
import { jobIdParam, workerCall } from '$lib/server/workers/http';
import { failRequest } from '$lib/server/workers/protocol';
import type { RequestHandler } from './$types';

/** Reports a failure or a cancellation; retryable failures go back to the queue with backoff. */
export const POST: RequestHandler = (event) =>
	workerCall(event, async ({ db, token }) => {
		const id = jobIdParam(event.params.id);
		const body = await readJson(event.request, failRequest);
		const answer = await failForWorker(db, token, id, body);
		return json(answer);
	});
