import { gzipSync } from 'node:zlib';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { makeImage } from '../src/lib/server/testing/images';
import { makeZip } from '../src/lib/server/testing/zip-fixture';
import { ADMIN, login, screenshot } from './helpers';

const PROLIFIC_DONE = 'https://app.prolific.com/submissions/complete';

/** The admin points the demo study's completion redirect at Prolific and returns the study id. */
async function configureDemo(browser: Browser): Promise<{ id: string; admin: Page }> {
	const ctx = await browser.newContext();
	const admin = await ctx.newPage();
	await login(admin, ADMIN.email, ADMIN.password);
	await admin.goto('/admin/studies');
	await admin.getByRole('link', { name: /demo/i }).click();
	await admin.waitForURL(/\/admin\/studies\/[0-9a-f-]{36}$/);
	const id = admin.url().split('/').pop()!;
	await admin.getByLabel(/Completion redirect URL/).fill(`${PROLIFIC_DONE}?cc={code}`);
	await admin.getByRole('button', { name: 'Save settings' }).click();
	await expect(admin.getByText('Settings saved.')).toBeVisible();
	await expect(admin.getByLabel('Title')).toHaveValue('Which image fits better? (demo)');
	await admin.reload();
	await expect(admin.getByLabel(/Completion redirect URL/)).toHaveValue(
		`${PROLIFIC_DONE}?cc={code}`
	);
	await expect(admin.getByLabel('Completion code')).toHaveValue('SIDDEMO1');
	await screenshot(admin, 'survey-admin-study');
	return { id, admin };
}

async function live(admin: Page, id: string) {
	const res = await admin.request.get(`/api/admin/studies/${id}/live`);
	expect(res.ok()).toBe(true);
	return (await res.json()) as { responses: number; completed: number; started: number };
}

async function tabTo(page: Page, name: RegExp) {
	for (let i = 0; i < 15; i++) {
		await page.keyboard.press('Tab');
		const label = await page.evaluate(
			() =>
				document.activeElement?.textContent?.trim() ||
				document.activeElement?.getAttribute('aria-label') ||
				(document.activeElement as HTMLInputElement | null)?.labels?.[0]?.textContent ||
				''
		);
		if (name.test(label)) return;
	}
	throw new Error(`could not reach ${name} with Tab`);
}

async function consentWithKeyboard(page: Page) {
	await tabTo(page, /agree to take part/);
	await page.keyboard.press('Space');
	await tabTo(page, /Start the study/);
	await page.keyboard.press('Enter');
	await page.waitForURL(/\/s\/demo\/q$/);
}

async function currentPair(page: Page) {
	const imgs = page.locator('.pair img');
	return {
		counter: await page.locator('.count').textContent(),
		left: await imgs.nth(0).getAttribute('src'),
		right: await imgs.nth(1).getAttribute('src')
	};
}

async function answerWithKeys(page: Page, from: number, to: number) {
	const keys = ['1', '2', '3', 'ArrowLeft', 'ArrowRight', 'ArrowDown'];
	for (let n = from; n <= to; n++) {
		await expect(page.locator('.count')).toContainText(`Question ${n} of 40`);
		await page.keyboard.press(keys[n % keys.length]);
	}
}

test('a Prolific participant completes 40 questions by keyboard, resuming after reload and on a second device', async ({
	browser
}) => {
	const { id, admin } = await configureDemo(browser);
	// Other specs (the phone layout checks) answer in the same demo study: count from here.
	const before0 = await live(admin, id);
	const pid = `E2E${Date.now()}`;
	const query = `PROLIFIC_PID=${pid}&STUDY_ID=study1&SESSION_ID=session1`;

	const ctx = await browser.newContext();
	await ctx.route(`${PROLIFIC_DONE}**`, (route) =>
		route.fulfill({ contentType: 'text/html', body: '<h1>Prolific (test double)</h1>' })
	);
	const page = await ctx.newPage();
	await page.goto(`/s/demo?${query}`);
	await expect(page.getByText(/labelled stand-ins/)).toBeVisible();
	await consentWithKeyboard(page);
	await expect(page.getByRole('button', { name: 'Begin' })).toBeFocused();
	await screenshot(page, 'survey-instructions-desktop');
	await page.keyboard.press('Enter');

	await answerWithKeys(page, 1, 21);
	await expect(page.locator('.count')).toContainText('Question 22 of 40');
	await expect(page.getByRole('status').first()).toHaveText('All answers saved');
	await screenshot(page, 'survey-question-desktop');
	const before = await currentPair(page);

	await page.reload();
	expect(await currentPair(page)).toEqual(before);

	// The same PROLIFIC_PID on another device resumes at the same question, same order.
	const other = await browser.newContext();
	const second = await other.newPage();
	await second.goto(`/s/demo?${query}`);
	await second.waitForURL(/\/s\/demo\/q$/);
	expect(await currentPair(second)).toEqual(before);
	await other.close();
	expect((await live(admin, id)).responses).toBe(before0.responses + 21);

	await answerWithKeys(page, 22, 40);
	await page.waitForURL(new RegExp(`^${PROLIFIC_DONE}\\?cc=SIDDEMO1$`));
	const stats = await live(admin, id);
	expect(stats.responses).toBe(before0.responses + 40);
	expect(stats.completed).toBe(before0.completed + 1);
	expect(stats.started).toBe(before0.started + 1);

	// Coming back after completion shows the completion page, not a new survey.
	const again = await browser.newContext();
	const back = await again.newPage();
	await back.route(`${PROLIFIC_DONE}**`, (route) => route.fulfill({ body: 'ok' }));
	await back.goto(`/s/demo?${query}`);
	await back.waitForURL(/app\.prolific\.com|\/done$/);
	await again.close();
	await ctx.close();

	await admin.goto(`/admin/studies/${id}/live`);
	await expect(admin.getByText('completed', { exact: true })).toBeVisible();
	await expect(admin.locator('.stats strong').nth(1)).toHaveText(String(before0.completed + 1));
	await screenshot(admin, 'survey-admin-live');
});

test('on a phone, answers survive a connection killed mid-submit and are stored once', async ({
	browser
}) => {
	const { id, admin } = await configureDemo(browser);
	const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
	const page = await ctx.newPage();
	// Participant pages stay light: measure every script they load.
	const scripts = new Map<string, Promise<Buffer>>();
	page.on('response', (r) => {
		if (r.url().endsWith('.js') && !scripts.has(r.url())) scripts.set(r.url(), r.body());
	});
	await page.goto(`/s/demo?pid=phone-${Date.now()}`);
	await screenshot(page, 'survey-consent-phone');
	await page.getByLabel(/agree to take part/).check();
	await page.getByRole('button', { name: 'Start the study' }).click();
	await page.getByRole('button', { name: 'Begin' }).click();
	await expect(page.locator('.count')).toContainText('Question 1 of 40');
	await screenshot(page, 'survey-question-phone');
	const bodies = await Promise.all(scripts.values());
	const gzipped = bodies.reduce((n, b) => n + gzipSync(b).length, 0);
	expect(gzipped).toBeLessThan(60 * 1024);
	expect(bodies.some((b) => b.includes('QueryClient'))).toBe(false);

	const start = (await live(admin, id)).responses;
	// First attempt reaches the server and is stored, but the reply is lost (connection reset);
	// the second attempt never reaches the server. The page must retry until it is confirmed.
	let calls = 0;
	await page.route('**/api/s/demo/answers', async (route) => {
		calls++;
		if (calls === 1) {
			await route.fetch();
			return route.abort('connectionreset');
		}
		if (calls === 2) return route.abort('failed');
		return route.continue();
	});
	// A tap within 300 ms of a question switch is ignored on purpose (a double tap on Begin or on
	// the previous answer must not answer this question): wait as a person would.
	await page.waitForTimeout(400);
	await page.getByRole('button', { name: 'Image B', exact: true }).click();
	// The status reads "saved" until the queue has taken the answer: wait for the retries first.
	await expect.poll(() => calls, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
	await expect(page.getByRole('status').first()).toHaveText('All answers saved', {
		timeout: 15_000
	});
	await page.unroute('**/api/s/demo/answers');
	expect((await live(admin, id)).responses).toBe(start + 1);

	// Double-tapping one answer stores one row for it, not two questions' worth.
	await page.waitForTimeout(400);
	await page.getByRole('button', { name: 'Image A', exact: true }).dblclick();
	await expect(page.locator('.count')).toContainText('Question 3 of 40');
	await expect(page.getByRole('status').first()).toHaveText('All answers saved');
	expect((await live(admin, id)).responses).toBe(start + 2);
	await ctx.close();
});

test('an admin imports a ZIP (a bad one is refused by name) and previews the draft study', async ({
	page
}) => {
	await login(page, ADMIN.email, ADMIN.password);
	await page.goto('/admin/studies');
	await page.getByLabel('Title').fill('Import check');
	await page.getByLabel(/Link name/).fill('import-check');
	await page.getByRole('button', { name: 'Create study' }).click();
	await page.waitForURL(/\/admin\/studies\/[0-9a-f-]{36}$/);

	const png = (r: number) => makeImage('png', 48, { r, g: 90, b: 90 });
	const images = [
		{ file: 'db/snow.png', method: 'DreamBooth', prompt: 'a sks dog in the snow' },
		{ file: 'sid/snow.png', method: 'DreamBooth + SID', prompt: 'a sks dog in the snow' }
	];
	const manifest = {
		name: 'manifest.json',
		data: Buffer.from(
			JSON.stringify({ images: images.map((i) => ({ ...i, subject: 'dog', seed: 0 })) })
		)
	};
	const files = [
		{ name: 'db/snow.png', data: await png(10) },
		{ name: 'sid/snow.png', data: await png(200) }
	];
	const upload = async (zip: Buffer) => {
		await page.getByLabel(/Import generated images/).setInputFiles({
			name: 'images.zip',
			mimeType: 'application/zip',
			buffer: zip
		});
		await page.getByRole('button', { name: 'Import', exact: true }).click();
	};
	await upload(makeZip([manifest, ...files, { name: '../escape.png', data: files[0].data }]));
	await expect(page.getByRole('alert')).toContainText('Nothing was imported');
	await expect(page.getByText('../escape.png: points outside the archive')).toBeVisible();
	await screenshot(page, 'survey-admin-import-refused');

	await upload(makeZip([manifest, ...files]));
	await expect(page.getByRole('status')).toContainText('Imported 2 images');
	await expect(page.getByRole('heading', { name: /1 items/ })).toBeVisible();

	// Preview walks the real flow in a draft study, marked as not counted.
	await page.getByRole('link', { name: 'Preview (not counted)' }).click();
	await expect(page.getByText('Preview: your answers are not counted.')).toBeVisible();
	await page.getByLabel(/agree to take part/).check();
	await page.getByRole('button', { name: 'Start the study' }).click();
	await page.getByRole('button', { name: 'Begin' }).click();
	await expect(page.locator('.count')).toContainText('Question 1 of 4');
	await expect(page.locator('.prompt')).toHaveText('Prompt: a dog in the snow');
});
