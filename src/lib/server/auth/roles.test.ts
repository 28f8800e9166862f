import { isHttpError, isRedirect } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { fakeEvent } from '../testing/http';

/**
 * Every admin page load, form action and API endpoint, found by globbing the routes, must
 * refuse an annotator with 403 and an anonymous visitor with 401 or a redirect to login,
 * before touching anything. New admin routes are covered without editing this test.
 */
type Mod = Record<string, unknown> & { actions?: Record<string, (e: unknown) => unknown> };
const pages = import.meta.glob<Mod>('/src/routes/**/admin/**/+page.server.ts', { eager: true });
const endpoints = import.meta.glob<Mod>('/src/routes/api/admin/**/+server.ts', { eager: true });

const annotator = {
	id: '00000000-0000-4000-8000-000000000001',
	email: 'a@x',
	displayName: 'A',
	role: 'annotator' as const
};

function handlersOf(): { name: string; call: (user: typeof annotator | null) => unknown }[] {
	const list: { name: string; call: (user: typeof annotator | null) => unknown }[] = [];
	const params = { id: '00000000-0000-4000-8000-000000000002', slug: 'x', sha: 'x', token: 'x' };
	for (const [file, mod] of Object.entries(pages)) {
		if (typeof mod.load === 'function') {
			list.push({
				name: `${file} load`,
				call: (user) => (mod.load as (e: unknown) => unknown)(fakeEvent({ user, params }))
			});
		}
		for (const [action, fn] of Object.entries(mod.actions ?? {})) {
			list.push({
				name: `${file} ?/${action}`,
				call: (user) => fn(fakeEvent({ user, params, method: 'POST', body: new FormData() }))
			});
		}
	}
	for (const [file, mod] of Object.entries(endpoints)) {
		for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
			const fn = mod[method];
			if (typeof fn !== 'function') continue;
			list.push({
				name: `${file} ${method}`,
				call: (user) =>
					fn(
						fakeEvent({
							user,
							params,
							method,
							path: '/api/admin/x',
							body: method === 'GET' ? undefined : '{}',
							headers: { 'content-type': 'application/json' }
						})
					)
			});
		}
	}
	return list;
}

async function outcome(run: () => unknown): Promise<number | 'redirect-login' | 'allowed'> {
	try {
		await run();
		return 'allowed';
	} catch (e) {
		if (isHttpError(e)) return e.status;
		if (isRedirect(e) && e.location.startsWith('/login')) return 'redirect-login';
		throw e;
	}
}

describe('admin routes', () => {
	const handlers = handlersOf();

	it('are found by the glob', () => {
		expect(handlers.length).toBeGreaterThanOrEqual(6);
	});

	it.each(handlers.map((h) => [h.name, h] as const))(
		'%s refuses an annotator with 403',
		async (_n, h) => {
			expect(await outcome(() => h.call(annotator))).toBe(403);
		}
	);

	it.each(handlers.map((h) => [h.name, h] as const))(
		'%s refuses anonymous visitors',
		async (_n, h) => {
			expect([401, 'redirect-login']).toContain(await outcome(() => h.call(null)));
		}
	);
});
