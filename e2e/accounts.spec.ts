import { expect, test } from '@playwright/test';
import { ADMIN, login, screenshot } from './helpers';

test('admin invites an annotator, who joins; disabling them ends their session at once', async ({
	browser
}) => {
	const adminCtx = await browser.newContext();
	const admin = await adminCtx.newPage();
	await login(admin, ADMIN.email, ADMIN.password);
	await expect(admin.getByRole('heading', { name: 'Overview' })).toBeVisible();
	await screenshot(admin, 'admin-overview');

	await admin.goto('/admin/users');
	const email = `annotator-${Date.now()}@example.org`;
	await admin.getByLabel('Email').fill(email);
	await admin.getByRole('button', { name: 'Create invitation link' }).click();
	const link = await admin.getByTestId('invite-link').inputValue();
	expect(link).toMatch(/\/invite\/[a-z2-7]{32}$/);
	await screenshot(admin, 'admin-people');

	const annCtx = await browser.newContext();
	const ann = await annCtx.newPage();
	await ann.goto(link);
	await expect(ann.getByText(email)).toBeVisible();
	await ann.getByLabel('Your name').fill('Ada Annotator');
	await ann.getByLabel('Password (at least 12 characters)').fill('a-strong-password-42');
	await ann.getByLabel('Password again').fill('a-strong-password-42');
	await ann.getByRole('button', { name: 'Create my account' }).click();
	await expect(ann.getByRole('heading', { name: 'Welcome, Ada Annotator' })).toBeVisible();

	// The link is single use.
	const other = await (await browser.newContext()).newPage();
	const reuse = await other.goto(link);
	expect(reuse?.status()).toBe(410);

	// Sign out and back in with the new password.
	await ann.getByRole('button', { name: 'Sign out' }).click();
	await login(ann, email, 'a-strong-password-42');
	await expect(ann.getByRole('heading', { name: 'Welcome, Ada Annotator' })).toBeVisible();

	// An annotator cannot open admin pages.
	const forbidden = await ann.goto('/admin/users');
	expect(forbidden?.status()).toBe(403);

	await admin.reload();
	await admin
		.getByRole('row', { name: new RegExp(email) })
		.getByRole('button', { name: /Disable/ })
		.click();
	await expect(
		admin.getByRole('row', { name: new RegExp(email) }).getByText('disabled')
	).toBeVisible();

	const after = await ann.goto('/home');
	expect(ann.url()).toContain('/login');
	expect(after?.status()).toBe(200);
	await ann.getByLabel('Email').fill(email);
	await ann.getByLabel('Password').fill('a-strong-password-42');
	await ann.getByRole('button', { name: 'Sign in' }).click();
	await expect(ann.getByText('Wrong email or password.')).toBeVisible();
});

test('pages carry a Content-Security-Policy and security headers', async ({ request }) => {
	const res = await request.get('/login');
	const csp = res.headers()['content-security-policy'];
	expect(csp).toContain("default-src 'self'");
	expect(csp).toContain("frame-ancestors 'none'");
	expect(res.headers()['x-content-type-options']).toBe('nosniff');
});
