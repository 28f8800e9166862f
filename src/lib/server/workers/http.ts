import { securityEvent } from '../audit/security-log';
import { isHttpError, json, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { db } from '../db';
import type { Db } from '../db';
import type { WorkerToken } from '../db/schema';
import { authenticateWorker, touchWorkerToken } from './tokens';
import { Refusal, refuse } from '../http/refusal';

export function workerError(status: number, message: string): Response {
	return json({ error: message }, { status });
}

const uuid = z.uuid();

/** A path id that is not a uuid cannot name a job: reject it before it reaches SQL. */
export function jobIdParam(id: string | undefined): string {
	if (!id || !uuid.safeParse(id).success) refuse(400, 'Invalid job id.');
	return id;
}

/**
 * Every worker endpoint: bearer token first (401 when missing, unknown or revoked), then
 * the handler; lease and validation failures come back in the protocol's error shape.
 */
export async function workerCall(
	event: RequestEvent,
	handle: (ctx: { db: Db; token: WorkerToken }) => Promise<Response>
): Promise<Response> {
	const d = await db();
	const token = await authenticateWorker(d, event.request.headers.get('authorization'));
	if (!token) {
		securityEvent('worker_auth_failed', {
			path: event.url.pathname,
			address: event.getClientAddress()
		});
		return json(
			{ error: 'A valid, unrevoked worker token is required.' },
			{ status: 401, headers: { 'www-authenticate': 'Bearer' } }
		);
	}
	try {
		await touchWorkerToken(d, token.id);
		return await handle({ db: d, token });
	} catch (e) {
		// The protocol's error shape is `{ "error": message }`, which the Python worker reads.
		if (e instanceof Refusal) return workerError(e.status, e.message);
		if (isHttpError(e)) return workerError(e.status, e.body.message);
		throw e;
	}
}

/**
 * Fires when the worker hangs up. adapter-node aborts `request.signal` only while the body
 * is still being read, so the socket of the underlying Node request is watched too.
 */
export function clientGone(event: RequestEvent): AbortSignal {
	const controller = new AbortController();
	const abort = () => controller.abort();
	event.request.signal.addEventListener('abort', abort, { once: true });
	const socket = (
		event.platform as { req?: { socket?: NodeJS.EventEmitter & { destroyed?: boolean } } }
	)?.req?.socket;
	if (socket) {
		if (socket.destroyed) abort();
		else socket.once('close', abort);
	}
	return controller.signal;
}
