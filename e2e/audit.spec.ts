import { expect, test } from '@playwright/test';
import { ADMIN, login, screenshot } from './helpers';

// Issue 14, finding 6: what admins and annotators do is recorded, shown and exportable.
test('the audit page shows a login, an export and a caption approval made in the browser', async ({
	page
}) => {
	await login(page, ADMIN.email, ADMIN.password);

	// An export: the responses CSV of the demo results study.
	await page.goto('/admin/studies/demo-results/results');
	const [csv] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Responses CSV' }).click()
	]);
	expect(csv.suggestedFilename()).toBe('demo-results-responses.csv');

	// A caption approval from the review queue.
	await page.goto('/annotate');
	await page.getByRole('button', { name: 'Take the next item' }).click();
	await page.waitForURL(/\/annotate\/[0-9a-f-]{36}$/);
	const override = page.getByLabel('Reason to approve despite the flags');
	if (await override.isVisible()) await override.fill('Checked by hand in the audit test.');
	await page.getByRole('button', { name: /^Approve(?! case)/ }).click();
	await expect(page.locator('.badge')).toHaveText('approved');

	// Pages for a signed-in person are never kept in a shared or back-button cache.
	const users = await page.goto('/admin/users');
	expect(users?.headers()['cache-control']).toBe('no-store');
	await page.getByRole('link', { name: 'Audit trail' }).click();
	await expect(page.getByRole('heading', { name: 'Audit trail' })).toBeVisible();
	const rows = page.locator('tbody tr');
	await expect(rows.filter({ hasText: 'caption.approve' }).first()).toContainText(ADMIN.email);
	await expect(rows.filter({ hasText: 'study.export' }).first()).toContainText(
		'study:demo-results'
	);
	await expect(
		rows.filter({ has: page.getByRole('cell', { name: 'login', exact: true }) }).first()
	).toContainText(ADMIN.email);
	await screenshot(page, 'audit-desktop');
	await page.setViewportSize({ width: 390, height: 844 });
	await screenshot(page, 'audit-phone');

	// The trail itself downloads as CSV, and that download is recorded too.
	const [trail] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Download all as CSV' }).click()
	]);
	expect(trail.suggestedFilename()).toBe('audit-trail.csv');
	await page.reload();
	await expect(page.locator('tbody tr').first()).toContainText('audit.export');
});
