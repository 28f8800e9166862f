import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { ADMIN, login } from './helpers';

/** Every JSON API endpoint that takes a body, found in the routes, with dummy params. */
function bodyEndpoints(dir = 'src/routes/api'): { path: string; method: string }[] {
	const out: { path: string; method: string }[] = [];
	for (const name of readdirSync(dir)) {
		const p = join(dir, name);
		if (statSync(p).isDirectory()) out.push(...bodyEndpoints(p));
		else if (name === '+server.ts') {
			const src = readFileSync(p, 'utf8');
			const route = dir
				.replace(/^src\/routes/, '')
				.replace(/\[sha256\]/, 'a'.repeat(64))
				.replace(/\[slug\]/, 'demo')
				.replace(/\[\w+\]/g, '00000000-0000-4000-8000-000000000000');
			for (const m of src.matchAll(/export const (POST|PUT|PATCH)\b/g))
				out.push({ path: route, method: m[1] });
		}
	}
	return out;
}

async function send(
	api: APIRequestContext,
	base: string,
	e: { path: string; method: string },
	data: string | Buffer,
	type: string
) {
	// A Buffer goes out byte for byte; Playwright would JSON-encode a string.
	return api.fetch(e.path, {
		method: e.method,
		data: Buffer.from(data),
		headers: { 'content-type': type, origin: base }
	});
}

test('every body-taking API answers malformed, oversized and mistyped bodies with a clear 4xx', async ({
	page,
	baseURL
}) => {
	await login(page, ADMIN.email, ADMIN.password);
	// A participant cookie too, so participant endpoints get as far as reading the body.
	// Preview mode: other specs count the demo study's real participants.
	await page.goto('/s/demo?preview=1');
	await page.getByLabel(/agree to take part/).check();
	await page.getByRole('button', { name: 'Start the study' }).click();
	await page.waitForURL(/\/s\/demo\/q/);
	const api = page.request;
	const endpoints = bodyEndpoints();
	expect(endpoints.length).toBeGreaterThanOrEqual(6);
	const big = Buffer.alloc(5 * 1024 * 1024, 0x7b); // 5 MB of '{'
	for (const e of endpoints) {
		for (const [label, data, type] of [
			['malformed', '{"id": ', 'application/json'],
			['oversized', big, 'application/json'],
			['mistyped', 'a=1', 'text/plain']
		] as const) {
			const r = await send(api, baseURL!, e, data, type);
			const status = r.status();
			expect(status, `${e.method} ${e.path} (${label}) answered ${status}`).toBeGreaterThanOrEqual(
				400
			);
			expect(status, `${e.method} ${e.path} (${label}) answered ${status}`).toBeLessThan(500);
			const text = await r.text();
			expect(text.length, `${e.method} ${e.path} (${label}) gave no message`).toBeGreaterThan(0);
		}
	}
	// The answer endpoint in particular reads the body: it must say what is wrong.
	const bad = await send(
		api,
		baseURL!,
		{ path: '/api/s/demo/answers', method: 'POST' },
		'{"id": ',
		'application/json'
	);
	expect(bad.status()).toBe(400);
	expect(await bad.text()).toContain('not valid JSON');
	const huge = await send(
		api,
		baseURL!,
		{ path: '/api/s/demo/answers', method: 'POST' },
		big,
		'application/json'
	);
	expect(huge.status()).toBe(413);
});

test('HTML and script in study texts are shown as text, never run', async ({ page, baseURL }) => {
	await login(page, ADMIN.email, ADMIN.password);
	const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
	const slug = `xss-${Date.now()}`;
	const created = await page.request.post('/admin/studies?/create', {
		form: { title: `Study ${hostile}`, slug },
		headers: { origin: baseURL!, accept: 'text/html' },
		maxRedirects: 0
	});
	expect(created.status()).toBe(303);
	const studyPath = created.headers()['location'];
	await page.goto(studyPath);
	await page
		.getByLabel('Consent text')
		.fill(`Consent ${hostile}`)
		.catch(async () => {
			await page.locator('#consent').fill(`Consent ${hostile}`);
		});
	await page.locator('#title').fill(`Study ${hostile}`);
	await page.locator('#consent').press('Tab');
	await page
		.locator('form', { has: page.locator('#consent') })
		.getByRole('button')
		.last()
		.click();
	await page.goto(`/s/${slug}?preview=1`);
	await expect(page.getByText('Consent <img src=x', { exact: false })).toBeVisible();
	expect(
		await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)
	).toBeUndefined();
	await page.goto(studyPath);
	await expect(page.getByText('Study <img src=x', { exact: false }).first()).toBeVisible();
	expect(
		await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)
	).toBeUndefined();
});

test('files adapter-node serves before the hooks (static/, /_app/immutable/) carry the security headers', async ({
	request
}) => {
	const page = await request.get('/login');
	const html = await page.text();
	const immutable = html.match(/\/_app\/immutable\/[\w./-]+\.js/)?.[0];
	expect(immutable, 'the login page loads a script from /_app/immutable/').toBeTruthy();
	for (const path of ['/favicon.svg', '/robots.txt', immutable!]) {
		const res = await request.get(path);
		expect(res.status(), path).toBe(200);
		const h = res.headers();
		expect(h['x-content-type-options'], path).toBe('nosniff');
		expect(h['x-frame-options'], path).toBe('DENY');
		expect(h['referrer-policy'], path).toBe('strict-origin-when-cross-origin');
		expect(h['cross-origin-opener-policy'], path).toBe('same-origin');
		expect(h['content-security-policy'], path).toBe("default-src 'none'; frame-ancestors 'none'");
	}
	// Pages keep their own policy (with SvelteKit's hashes), not the strict one for files.
	expect(page.headers()['content-security-policy']).toContain("script-src 'self'");
	expect(page.headers()['x-content-type-options']).toBe('nosniff');
});
