import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../src/lib/server/testing/processes';
import { expect, test, type Page } from '@playwright/test';
import { makeImage } from '../src/lib/server/testing/images';
import { makeZip } from '../src/lib/server/testing/zip-fixture';
import { ADMIN } from './helpers';

// A new researcher on an empty project (its own `node server.js` on a fresh data folder, no VLM,
// no worker) follows only the overview's "Next step" link, from nothing to an open study.

let server: ChildProcess;
let dataDir: string;
let base: string;

test.beforeAll(async () => {
	dataDir = mkdtempSync(join(process.env.TMPDIR ?? tmpdir(), 'sid-path-'));
	const port = await freePort();
	base = `http://localhost:${port}`;
	const env = { ...process.env, DATA_DIR: dataDir, PORT: String(port), ORIGIN: base };
	env.ADMIN_EMAIL = ADMIN.email;
	env.ADMIN_PASSWORD = ADMIN.password;
	env.BODY_SIZE_LIMIT = '110M';
	delete env.OPENAI_API_KEY;
	server = spawn('node', ['server.js'], { env, stdio: 'ignore' });
	for (let i = 0; i < 120; i++) {
		const up = await fetch(`${base}/login`).then(
			(r) => r.ok,
			() => false
		);
		if (up) return;
		await new Promise((r) => setTimeout(r, 250));
	}
	throw new Error('The empty-project server did not start.');
});

test.afterAll(async () => {
	server?.kill('SIGTERM');
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const shot = (page: Page, name: string) =>
	page.screenshot({ path: `e2e/.screens/path-${name}.png`, fullPage: true });

/** Back to the overview and through its next-step link, which must be `label`. */
async function followNext(page: Page, label: string | RegExp, name: string) {
	await page.goto(`${base}/admin`);
	const next = page.getByRole('region', { name: 'Next step' }).getByRole('link');
	await expect(next).toHaveText(label);
	await shot(page, name);
	await next.click();
}

const warnings = (page: Page) => page.getByRole('region', { name: /What blocks the path/ });

test('a new admin follows the overview from an empty project to an open study', async ({
	page
}) => {
	test.setTimeout(120_000);
	// Its own server, so sign in there rather than through the configured baseURL.
	await page.goto(`${base}/login`);
	await page.getByLabel('Email').fill(ADMIN.email);
	await page.getByLabel('Password').fill(ADMIN.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL((u) => !u.pathname.startsWith('/login'));

	// 1. Empty: add subjects. Both missing services are named with their fix already.
	await page.goto(`${base}/admin`);
	await expect(warnings(page).locator('[data-kind="no-vlm"]')).toContainText('OPENAI_API_KEY');
	await expect(warnings(page).locator('[data-kind="no-worker"] pre')).toContainText(
		`sid-gpu worker --app-url ${base}`
	);
	await followNext(page, 'Add subjects', '1-empty');
	await page.getByLabel('Name').fill('dog');
	await page.getByLabel('Class noun').fill('dog');
	await page.getByLabel('Kind').selectOption('live');
	await page.getByRole('button', { name: 'Create subject' }).click();
	await page.waitForURL(/\/admin\/subjects\/[0-9a-f-]{36}$/);
	await page
		.getByLabel(/Add images/)
		.setInputFiles(['00.jpg', '01.jpg'].map((f) => join('demo', 'dreambooth-512', 'dog', f)));
	await page.getByRole('button', { name: 'Upload' }).click();
	await expect(page.getByText('Added 2 images.')).toBeVisible();
	// Drafting cannot work: its buttons say so instead of looking ready.
	await expect(page.getByRole('button', { name: 'Draft missing SIDs' })).toBeDisabled();
	await expect(page.getByText('Drafting is off: no VLM is configured.')).toBeVisible();
	await expect(
		page.getByText(/Case 3 · SID .*available once every image is approved/)
	).toBeVisible();
	await expect(page.getByTestId('sid-00.jpg')).toContainText('no draft yet');
	await shot(page, '2-subject');

	// 2. No VLM and no worker: SIDs and runs are blocked, so the path goes to a study of
	// images made elsewhere.
	await page.goto(`${base}/admin`);
	await expect(warnings(page).locator('[data-kind="no-vlm"]')).toContainText(
		'2 reference images cannot get a SID draft'
	);
	await followNext(page, 'Create a study', '3-subjects-added');
	await page.getByLabel('Title').fill('Path study');
	await page.getByLabel(/Link name/).fill('path-study');
	await page.getByRole('button', { name: 'Create study' }).click();
	await page.waitForURL(/\/admin\/studies\/[0-9a-f-]{36}$/);

	// 3. The study has no items: the overview warns and leads back to add images.
	await page.goto(`${base}/admin`);
	await expect(warnings(page).locator('[data-kind="study-too-few-items"]')).toContainText(
		'Study “Path study” has no items'
	);
	await followNext(page, 'Add comparison images to “Path study”', '4-study-created');
	await page.getByRole('link', { name: 'the ZIP import format' }).click();
	await expect(
		page.getByRole('heading', { name: 'Importing generated images (ZIP + manifest)' })
	).toBeVisible();
	await expect(page.locator('pre').first()).toContainText('manifest.json');
	await shot(page, '5-help-import-format');
	await page.goBack();

	const images = [
		{ file: 'db/snow.png', method: 'DreamBooth', prompt: 'a sks dog in the snow' },
		{ file: 'sid/snow.png', method: 'DreamBooth + SID', prompt: 'a sks dog in the snow' }
	];
	const manifest = Buffer.from(
		JSON.stringify({ images: images.map((i) => ({ ...i, subject: 'dog', seed: 0 })) })
	);
	await page.getByLabel(/Import generated images/).setInputFiles({
		name: 'images.zip',
		mimeType: 'application/zip',
		buffer: makeZip([
			{ name: 'manifest.json', data: manifest },
			{ name: 'db/snow.png', data: await makeImage('png', 48, { r: 20, g: 90, b: 90 }) },
			{ name: 'sid/snow.png', data: await makeImage('png', 48, { r: 200, g: 90, b: 90 }) }
		])
	});
	await page.getByRole('button', { name: 'Import', exact: true }).click();
	await expect(page.getByRole('status')).toContainText('Imported 2 images');

	// 4. One subject but ten per participant: the warning says so; the setting fixes it.
	await page.goto(`${base}/admin`);
	await expect(warnings(page).locator('[data-kind="study-too-few-items"]')).toContainText(
		'has items for 1 subject, but each participant should see 10'
	);
	await followNext(page, 'Open “Path study”', '6-items-imported');
	await page.getByLabel('Subjects per participant').fill('1');
	await page.getByRole('button', { name: 'Save settings' }).click();
	await expect(page.getByRole('status')).toBeVisible();
	await page.getByRole('button', { name: 'open', exact: true }).click();
	await expect(page.getByRole('button', { name: 'open', exact: true })).not.toHaveClass(
		/secondary/
	);

	// 5. Open: the study step is done and the overview follows it live.
	await page.goto(`${base}/admin`);
	await expect(page.getByRole('listitem', { name: 'Studies' })).toContainText(
		'Path study: open · 1 item'
	);
	await expect(warnings(page).locator('[data-kind="study-too-few-items"]')).toHaveCount(0);
	await expect(page.getByRole('region', { name: 'Next step' }).getByRole('link')).toHaveText(
		'Watch “Path study” live'
	);
	await shot(page, '7-study-open');
	await page.setViewportSize({ width: 390, height: 844 });
	await shot(page, '7-study-open-phone');
	// The worker set-up help is one click from the blocker that needs it.
	await page.goto(`${base}/admin/help/worker-setup`);
	await expect(page.getByRole('heading', { level: 2 }).first()).toHaveText(
		'sid-gpu: the SID Studio GPU worker'
	);
	expect(readFileSync('gpu-service/README.md', 'utf8')).toContain(
		'# sid-gpu: the SID Studio GPU worker'
	);
});
