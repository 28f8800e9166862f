import { expect, test, type Browser, type Page } from '@playwright/test';
import { ADMIN, login, screenshot } from './helpers';

const PHONE = { width: 390, height: 844 };

/** A path with its ids folded, so each kind of page is visited once. */
const kind = (path: string) =>
	path
		.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id')
		.replace(/[0-9a-f]{64}/g, ':sha')
		.replace(/\/invite\/.+/, '/invite/:token');

/** Same-site pages a signed-in person can open from this one (no downloads, APIs or surveys). */
async function pageLinks(page: Page): Promise<string[]> {
	const hrefs = await page.$$eval('a[href]', (as) =>
		as.filter((a) => !a.hasAttribute('download')).map((a) => a.getAttribute('href') ?? '')
	);
	return hrefs
		.filter((h) => h.startsWith('/') && !/^\/(api|img|s|logout)(\/|$)/.test(h))
		.filter((h) => !/\.(csv|zip|jsonl?|svg|png|txt)(\?|$)/.test(h))
		.map((h) => h.split('#')[0]);
}

const shots = new Map<string, number>();

async function fitsWidth(page: Page, path: string, who: string): Promise<void> {
	const res = await page.goto(path);
	expect(res?.status(), path).toBeLessThan(400);
	await page.waitForLoadState('networkidle');
	const { scrollWidth, innerWidth } = await page.evaluate(() => ({
		scrollWidth: document.documentElement.scrollWidth,
		innerWidth: window.innerWidth
	}));
	expect(scrollWidth, `${path} is ${scrollWidth}px wide`).toBeLessThanOrEqual(innerWidth);
	// Named by kind of page (stable across runs), numbered when a kind is seen again.
	const name = `width-390-${who}-${kind(new URL(page.url()).pathname).replace(/[/:]+/g, '-').replace(/^-|-$/g, '') || 'root'}`;
	const n = (shots.get(name) ?? 0) + 1;
	shots.set(name, n);
	await screenshot(page, n === 1 ? name : `${name}-${n}`);
}

/** Visits every kind of page reachable from `start` by links, and the extra ones given. */
async function visitAll(page: Page, who: string, start: string[]): Promise<Set<string>> {
	const queue = [...start];
	const kinds = new Set<string>();
	while (queue.length) {
		const path = queue.shift()!;
		const k = kind(path.split('?')[0]);
		if (kinds.has(k)) continue;
		kinds.add(k);
		await fitsWidth(page, path, who);
		queue.push(...(await pageLinks(page)));
	}
	return kinds;
}

async function newAnnotator(browser: Browser, admin: Page): Promise<Page> {
	await admin.goto('/admin/users');
	await admin.getByLabel('Email').fill(`narrow-${Date.now()}@example.org`);
	await admin.getByRole('button', { name: 'Create invitation link' }).click();
	const link = await admin.getByTestId('invite-link').inputValue();
	const page = await (await browser.newContext({ viewport: PHONE })).newPage();
	await page.goto(link);
	await fitsWidth(page, link, 'annotator');
	await page.getByLabel('Your name').fill('Narrow');
	await page.getByLabel('Password (at least 12 characters)').fill('a-strong-password-42');
	await page.getByLabel('Password again').fill('a-strong-password-42');
	await page.getByRole('button', { name: 'Create my account' }).click();
	await expect(page.getByRole('heading', { name: 'Welcome, Narrow' })).toBeVisible();
	return page;
}

test('at 390 px no admin or annotator page scrolls sideways; the nav folds into a menu', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const ctx = await browser.newContext({ viewport: PHONE });
	const admin = await ctx.newPage();
	await fitsWidth(admin, '/login', 'anyone');
	await login(admin, ADMIN.email, ADMIN.password);

	// The menu: links hidden until opened, then a tap away; it closes after navigating.
	await admin.goto('/admin');
	const menu = admin.getByText('Menu', { exact: true });
	const studies = admin.getByRole('link', { name: 'Studies', exact: true });
	await expect(studies).toBeHidden();
	await menu.click();
	await expect(studies).toBeInViewport();
	await screenshot(admin, 'width-390-menu-open');
	await studies.click();
	await admin.waitForURL(/\/admin\/studies$/);
	await expect(studies).toBeHidden();

	// Each demo study's pages (one has no answers, one simulated ones), then every other kind
	// of page the links lead to.
	await admin.goto('/admin/studies');
	const studyPages = (await pageLinks(admin))
		.filter((h) => /^\/admin\/studies\/[^/]+$/.test(h))
		.flatMap((h) => [h, `${h}/live`, `${h}/results`]);
	expect(studyPages.length).toBeGreaterThanOrEqual(6);
	for (const path of studyPages) await fitsWidth(admin, path, 'admin');
	const kinds = await visitAll(admin, 'admin', ['/admin']);
	for (const k of [
		'/admin/subjects/:id',
		'/admin/studies/:id',
		'/admin/help',
		'/annotate',
		'/home'
	])
		expect(kinds, `visited ${k}`).toContain(k);

	// An annotator's pages, including an item under review.
	const annotator = await newAnnotator(browser, admin);
	await visitAll(annotator, 'annotator', ['/home', '/annotate']);
	await annotator.goto('/annotate');
	await annotator.getByRole('button', { name: 'Take the next item' }).click();
	await annotator.waitForURL(/\/annotate\/[0-9a-f-]{36}$/);
	await fitsWidth(annotator, new URL(annotator.url()).pathname, 'annotator');
	await ctx.close();
});

test('the menu works without JavaScript', async ({ browser }) => {
	const ctx = await browser.newContext({ viewport: PHONE });
	const page = await ctx.newPage();
	await login(page, ADMIN.email, ADMIN.password);
	const noJs = await browser.newContext({
		viewport: PHONE,
		javaScriptEnabled: false,
		storageState: await ctx.storageState()
	});
	const plain = await noJs.newPage();
	await plain.goto('/admin/subjects');
	await plain.getByText('Menu', { exact: true }).click();
	await plain.getByRole('link', { name: 'People', exact: true }).click();
	await plain.waitForURL(/\/admin\/users$/);
	await expect(plain.getByRole('heading', { name: 'People', level: 1 })).toBeVisible();
	await noJs.close();
	await ctx.close();
});

/** The boxes of the chart texts of one class, as drawn. */
async function textBoxes(page: Page, selector: string) {
	return page.$$eval(selector, (els) =>
		els.map((e) => {
			const r = e.getBoundingClientRect();
			const svg = e.closest('svg')!.getBoundingClientRect();
			return {
				text: e.textContent ?? '',
				chart: e.closest('svg')!.getAttribute('aria-labelledby') ?? '',
				box: { left: r.left, right: r.right, top: r.top, bottom: r.bottom },
				inside: r.left >= svg.left - 0.5 && r.right <= svg.right + 0.5
			};
		})
	);
}

type Drawn = Awaited<ReturnType<typeof textBoxes>>[number];
const overlap = (a: Drawn['box'], b: Drawn['box']) =>
	a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

for (const width of [1280, 390])
	test(`at ${width} px the results charts' legends and time ticks never overlap`, async ({
		browser
	}) => {
		const ctx = await browser.newContext({ viewport: { width, height: 900 } });
		const page = await ctx.newPage();
		await login(page, ADMIN.email, ADMIN.password);
		await page.goto('/admin/studies/demo-results/results');
		await expect(
			page.getByRole('img', { name: /Participants over time|Cumulative/ })
		).toBeVisible();
		for (const selector of ['.chart text.legend', '.chart text.tick']) {
			const drawn = await textBoxes(page, selector);
			expect(drawn.length, selector).toBeGreaterThan(selector.includes('tick') ? 2 : 5);
			for (const d of drawn) expect(d.inside, `${d.text} inside its chart`).toBe(true);
			for (let i = 0; i < drawn.length; i++)
				for (let j = i + 1; j < drawn.length; j++)
					if (drawn[i].chart === drawn[j].chart)
						expect(
							overlap(drawn[i].box, drawn[j].box),
							`"${drawn[i].text}" overlaps "${drawn[j].text}"`
						).toBe(false);
		}
		const ticks = (await textBoxes(page, '.chart text.tick')).map((d) => d.text);
		expect(new Set(ticks).size).toBe(ticks.length);
		const timeline = page.locator('figure', { hasText: 'Participants over time' });
		await timeline.screenshot({ path: `e2e/.screens/width-${width}-timeline.png` });
		await page
			.locator('figure', { hasText: 'Preference per question' })
			.screenshot({ path: `e2e/.screens/width-${width}-table-b2-chart.png` });
		await ctx.close();
	});
