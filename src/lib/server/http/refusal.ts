import { error, fail, isHttpError, type ActionFailure } from '@sveltejs/kit';

/**
 * The one way domain code says "no": an HTTP status, a message a person can act on, and
 * optionally problems per form field and extra data for the page (e.g. both versions of a
 * caption on a conflict). Routes never test for error classes; they pass a thrown value to
 * `refusedAction` (form actions) or `refusedJson` (endpoints). A plain `Error` is a bug and
 * stays a 500.
 */
export class Refusal extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly fields: Record<string, string> = {},
		readonly extra: Record<string, unknown> = {}
	) {
		super(message);
		this.name = 'Refusal';
	}
}

/** Throws a refusal: `refuse(409, 'The study is open: its questions are fixed.')`. */
export function refuse(
	status: number,
	message: string,
	fields: Record<string, string> = {},
	extra: Record<string, unknown> = {}
): never {
	throw new Refusal(status, message, fields, extra);
}

/** The shape every form action fails with. */
export type ActionRefusal = { message: string; fields?: Record<string, string> } & Record<
	string,
	unknown
>;

/** A refusal as the failure of a form action; anything else is rethrown unchanged. */
export function refusedAction(e: unknown): ActionFailure<ActionRefusal> {
	if (e instanceof Refusal) {
		const body: ActionRefusal = { ...e.extra, message: e.message };
		if (Object.keys(e.fields).length > 0) body.fields = e.fields;
		return fail(e.status, body);
	}
	if (isHttpError(e) && e.status < 500) return fail(e.status, { message: e.body.message });
	throw e;
}

/** Runs a form action's work, turning refusals into `fail(status, { message, fields? })`. */
export async function actionOrRefusal<T>(
	work: () => Promise<T>
): Promise<T | ActionFailure<ActionRefusal>> {
	try {
		return await work();
	} catch (e) {
		return refusedAction(e);
	}
}

/** A refusal as SvelteKit's HTTP error (`{ message }` JSON for endpoints); others rethrown. */
export function refusedJson(e: unknown): never {
	if (e instanceof Refusal) error(e.status, e.message);
	throw e;
}

/** Runs an endpoint's work, turning refusals into a JSON `{ message }` error of their status. */
export async function orRefusal<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (e) {
		refusedJson(e);
	}
}

/** For a page that answers a refusal by going elsewhere: the value, or the refusal itself. */
export async function settle<T>(
	work: Promise<T>
): Promise<{ ok: true; value: T } | { ok: false; refusal: Refusal }> {
	try {
		return { ok: true, value: await work };
	} catch (e) {
		if (e instanceof Refusal) return { ok: false, refusal: e };
		throw e;
	}
}
