import { expect, request, test, type APIRequestContext } from '@playwright/test';
import { unflatten } from 'devalue';
import { ADMIN, login, screenshot } from './helpers';

// The demo seeds finished stand-in runs of these three methods on every demo subject.
const METHODS = [
	'DreamBooth (demo stand-in)',
	'DreamBooth + SID (demo stand-in)',
	'Textual Inversion (demo stand-in)'
];
const SLUG = 'three-methods';

/** One participant over real HTTP, as the browser does: consent, question data, answers, done. */
async function participate(api: APIRequestContext, base: string, pid: string, prefer: number) {
	const consent = await api.post(`/s/${SLUG}?/start`, {
		form: { consent: 'yes', PROLIFIC_PID: pid },
		// As a browser's plain form post (an Accept of */* gets the enhanced JSON reply).
		headers: { origin: base, accept: 'text/html' },
		maxRedirects: 0
	});
	expect(consent.status()).toBe(303);
	const data = await (await api.get(`/s/${SLUG}/q/__data.json`)).json();
	const survey = data.nodes
		.filter((n: { type: string } | null) => n?.type === 'data')
		.map((n: { data: unknown[] }) => unflatten(n.data))
		.find((d: { screens?: unknown }) => d.screens) as {
		screens: { assignmentId: string; left: string; right: string }[];
		problems: { screen: number; question: string }[];
	};
	expect(survey.screens.length).toBeGreaterThan(0);
	for (const p of survey.problems) {
		// Deterministic but mixed preferences, so the three strengths differ.
		const choice = ['left', 'right', 'undecided'][(p.screen + prefer) % 3];
		const r = await api.post(`/api/s/${SLUG}/answers`, {
			data: {
				id: crypto.randomUUID(),
				assignmentId: survey.screens[p.screen].assignmentId,
				question: p.question,
				choice,
				clientMs: 2500
			},
			headers: { origin: base }
		});
		expect(r.status()).toBe(201);
	}
	const done = await api.post(`/api/s/${SLUG}/complete`, { headers: { origin: base } });
	expect(done.ok()).toBe(true);
}

test('a three-method study goes from creation to a Bradley-Terry ranking', async ({
	page,
	baseURL
}) => {
	test.setTimeout(180_000);
	await login(page, ADMIN.email, ADMIN.password);
	await page.goto('/admin/studies');
	await page.getByLabel('Title').fill('Three methods');
	await page.getByLabel(/Link name/).fill(SLUG);
	await page.getByRole('button', { name: 'Create study' }).click();
	await expect(page.getByRole('heading', { name: /Three methods/ })).toBeVisible();

	// Two method fields to start with; a third one on demand (which also waits for hydration).
	await expect(page.getByLabel('Method 3', { exact: true })).toHaveCount(0);
	await page.getByRole('button', { name: 'Add a method' }).click();
	await expect(page.getByLabel('Method 3', { exact: true })).toBeVisible();
	for (const [i, m] of METHODS.entries())
		await page.getByLabel(`Method ${i + 1}`, { exact: true }).fill(m);
	await page.getByRole('button', { name: 'Save methods' }).click();
	await expect(page.getByRole('status')).toHaveText('3 methods saved.');
	await page.getByRole('button', { name: /Build items from finished runs/ }).click();
	await expect(page.getByRole('status')).toHaveText(/^[1-9]\d* new items\.$/);
	await page.getByRole('button', { name: 'open', exact: true }).click();
	await expect(page.getByRole('status')).toHaveText('The study is now open.');
	await page.setViewportSize({ width: 1280, height: 900 });
	await screenshot(page, 'kmethods-study-desktop');
	await page.setViewportSize({ width: 390, height: 844 });
	await screenshot(page, 'kmethods-study-phone');
	await page.setViewportSize({ width: 1280, height: 900 });

	for (let i = 0; i < 6; i++) {
		const api = await request.newContext({ baseURL });
		await participate(api, baseURL!, `three-${i}`, i);
		await api.dispose();
	}

	await page.goto(`/admin/studies`);
	await page.getByRole('link', { name: 'Three methods' }).click();
	await page.getByRole('link', { name: 'Results and exports' }).click();
	await expect(page.getByRole('heading', { name: /Results: Three methods/ })).toBeVisible();
	// A script answers faster than any person and ignores the attention checks: keep everyone,
	// so the ranking and the pairs have data.
	const RULES = 'attention=off&speeders=0&incomplete=1';
	await page.goto(`${new URL(page.url()).pathname}?${RULES}`);
	await expect(page.getByTestId('kept-participants')).toHaveText('6');
	const ranking = page.getByRole('region', { name: /Bradley-Terry ranking/ });
	await expect(ranking).toBeVisible();
	const rows = ranking.getByRole('row');
	await expect(rows).toHaveCount(4);
	for (const m of METHODS) await expect(ranking.getByRole('row', { name: m })).toBeVisible();
	const strengths = await ranking
		.locator('tbody tr td:nth-child(2)')
		.evaluateAll((tds) => tds.map((td) => Number(td.textContent)));
	expect(strengths.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 1);
	// Each interval respects its estimate and the chart draws them.
	const intervals = await ranking
		.locator('tbody tr td:nth-child(3)')
		.evaluateAll((tds) => tds.map((td) => (td.textContent ?? '').match(/[\d.]+/g)!.map(Number)));
	expect(intervals).toHaveLength(3);
	intervals.forEach(([lo, hi], i) => {
		expect(lo).toBeLessThanOrEqual(strengths[i] + 1e-3);
		expect(hi).toBeGreaterThanOrEqual(strengths[i] - 1e-3);
		expect(hi).toBeGreaterThan(lo);
	});
	await expect(ranking).toContainText(/resample whole participants/);
	await expect(
		page.getByRole('img', { name: /Bradley-Terry strengths with 95% intervals/ })
	).toBeVisible();

	// Table B.2 of every pair, each from that pair's answers: the page shows what the API computed.
	const studyId = new URL(page.url()).pathname.split('/')[3];
	const api = await (
		await page.request.get(`/api/admin/studies/${studyId}/results?${RULES}`)
	).json();
	const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);
	expect(api.pairs).toHaveLength(3);
	const pairs = page.getByRole('region', { name: 'Every pair of methods' });
	const selector = pairs.getByLabel('Pair');
	await expect(selector.locator('option')).toHaveCount(3);
	await expect(pairs).toContainText(/all 12 pair × question\s+tests/);
	const shown: string[][][] = [];
	for (const i of [0, 2]) {
		const p = api.pairs[i];
		const [a, b] = p.methods.map((m: { name: string }) => m.name);
		await selector.selectOption({ label: `${a} vs ${b}` });
		const table = pairs.getByTestId('pair-table-b2');
		await expect(table.locator('tbody th')).toHaveText([a, b, 'Undecided']);
		const cells = await table
			.locator('tbody tr')
			.evaluateAll((trs) =>
				trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''))
			);
		expect(cells).toEqual([
			p.table.map((q: { a: { estimate: number } }) => pct(q.a.estimate)),
			p.table.map((q: { b: { estimate: number } }) => pct(q.b.estimate)),
			p.table.map((q: { undecided: { estimate: number } }) => pct(q.undecided.estimate))
		]);
		expect(p.table.some((q: { n: number }) => q.n > 0)).toBe(true);
		await expect(pairs.getByTestId('pair-stats').locator('tbody tr')).toHaveCount(4);
		await expect(pairs.getByTestId('pair-stats')).toContainText('Holm, all pairs');
		shown.push(cells);
	}
	// Two different pairs, two different tables.
	expect(shown[0]).not.toEqual(shown[1]);
	await screenshot(page, 'kmethods-results-desktop');
	await page.setViewportSize({ width: 390, height: 844 });
	const { scrollWidth, innerWidth } = await page.evaluate(() => ({
		scrollWidth: document.documentElement.scrollWidth,
		innerWidth: window.innerWidth
	}));
	expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
	// Charts lay out for the phone's width instead of shrinking a desktop drawing: their
	// smallest text (11 px in the drawing) stays at least 10 px tall on screen.
	await expect
		.poll(() =>
			page.$$eval('figure.chart svg text', (ts) =>
				Math.min(...ts.map((t) => t.getBoundingClientRect().height).filter((h) => h > 0))
			)
		)
		.toBeGreaterThanOrEqual(10);
	await screenshot(page, 'kmethods-results-phone');
});
