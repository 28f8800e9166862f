import { json } from '@sveltejs/kit';
import { readJson } from '$lib/server/http/body';
import { completeRun } from '$lib/server/generation/results';
import { jobIdParam, workerCall } from '$lib/server/workers/http';
import { completeRequest } from '$lib/server/workers/protocol';
import type { RequestHandler } from './$types';

/** A results message lists every sample and its metrics: allow a few MB of JSON. */
const MAX_COMPLETE_BYTES = 8 * 1024 * 1024;

/** Stores a run's samples and metrics; idempotent for the lease that sends it. */
export const POST: RequestHandler = (event) =>
	workerCall(event, async ({ db, token }) => {
		const id = jobIdParam(event.params.id);
		const body = await readJson(event.request, completeRequest, MAX_COMPLETE_BYTES);
		return json(await completeRun(db, token, id, body));
	});
