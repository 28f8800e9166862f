import type { RequestEvent } from '@sveltejs/kit';
import type { SessionUser } from '../auth/session';

/** A minimal RequestEvent for calling loads, actions and endpoints directly in tests. */
export function fakeEvent(opts: {
	user?: SessionUser | null;
	method?: string;
	path?: string;
	params?: Record<string, string>;
	body?: BodyInit;
	headers?: Record<string, string>;
}): RequestEvent {
	const url = new URL(`http://localhost${opts.path ?? '/'}`);
	const request = new Request(url, {
		method: opts.method ?? 'GET',
		body: opts.body,
		headers: { origin: url.origin, ...opts.headers }
	});
	const cookies = new Map<string, string>();
	return {
		url,
		request,
		params: opts.params ?? {},
		locals: { user: opts.user ?? null, sessionId: null },
		route: { id: opts.path ?? '/' },
		cookies: {
			get: (n: string) => cookies.get(n),
			getAll: () => [...cookies].map(([name, value]) => ({ name, value })),
			set: (n: string, v: string) => void cookies.set(n, v),
			delete: (n: string) => void cookies.delete(n),
			serialize: () => ''
		},
		getClientAddress: () => '127.0.0.1',
		setHeaders: () => {},
		fetch,
		isDataRequest: false,
		isSubRequest: false,
		isRemoteRequest: false,
		platform: undefined,
		tracing: { enabled: false, root: undefined, current: undefined }
	} as unknown as RequestEvent;
}
