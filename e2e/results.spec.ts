import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { ADMIN, login, screenshot } from './helpers';

test('admin reads the results, changes a rule, downloads CSV and bundle', async ({ page }) => {
	await login(page, ADMIN.email, ADMIN.password);
	await page.goto('/admin/studies/demo-results/results');
	await expect(page.getByRole('heading', { name: /Results: Example results/ })).toBeVisible();

	const table = page.getByTestId('table-b2');
	await expect(table.getByRole('row', { name: /DreamBooth \+ SID/ })).toBeVisible();
	const kept = page.getByTestId('kept-participants');
	const before = await kept.textContent();
	const b2Before = await table.textContent();
	await expect(page.getByRole('img', { name: /Preference per question/ })).toBeVisible();
	await screenshot(page, 'results-desktop');

	// Each chart downloads as SVG and as PNG (drawn through a canvas in the browser).
	const chart = page.locator('figure', {
		has: page.getByRole('img', { name: /Preference per question/ })
	});
	const [svg] = await Promise.all([
		page.waitForEvent('download'),
		chart.getByRole('button', { name: 'SVG' }).click()
	]);
	expect(svg.suggestedFilename()).toBe('table-b2.svg');
	expect(readFileSync((await svg.path())!, 'utf8')).toContain('xmlns="http://www.w3.org/2000/svg"');
	expect(readFileSync((await svg.path())!, 'utf8')).not.toContain('<!--');
	const [png] = await Promise.all([
		page.waitForEvent('download'),
		chart.getByRole('button', { name: 'PNG' }).click()
	]);
	expect(png.suggestedFilename()).toBe('table-b2.png');
	expect(
		readFileSync((await png.path())!)
			.subarray(1, 4)
			.toString()
	).toBe('PNG');

	// One failed attention check is tolerated by Prolific's rule; the stricter rule drops that participant.
	await page.getByLabel('Attention checks').selectOption('any');
	await expect(kept).not.toHaveText(before ?? '');
	expect(Number(await kept.textContent())).toBe(Number(before) - 1);
	await expect(table).not.toHaveText(b2Before ?? '');

	const [csv] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Responses CSV' }).click()
	]);
	expect(csv.suggestedFilename()).toBe('demo-results-responses.csv');
	const text = readFileSync((await csv.path())!, 'utf8');
	expect(text.split('\r\n')[0]).toContain('participant,external_id,subject,prompt');
	expect(text).toContain('attention');

	const [zip] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Study bundle (ZIP)' }).click()
	]);
	expect(zip.suggestedFilename()).toBe('demo-results-bundle.zip');
	const bytes = readFileSync((await zip.path())!);
	expect(bytes.subarray(0, 4).toString('binary')).toBe('PK\u0003\u0004');

	await page.getByRole('img', { name: /Per subject/ }).scrollIntoViewIfNeeded();
	await screenshot(page, 'results-after-rule');
});

test('annotators and visitors cannot read results or exports', async ({ page, request }) => {
	const res = await request.get('/api/admin/studies/demo-results/export.csv');
	expect(res.status()).toBe(401);
	await page.goto('/admin/studies/demo-results/results');
	await expect(page).toHaveURL(/\/login/);
});
