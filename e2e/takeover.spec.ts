import { expect, test } from '@playwright/test';
import { ADMIN, login, screenshot } from './helpers';

// Issue 14, findings 1-3, tried against the running app as an attacker would.

test('a known participant id alone does not hand over the participant; the resume code does', async ({
	browser
}) => {
	const pid = `VICTIM${Date.now()}`;
	const victim = await (await browser.newContext()).newPage();
	await victim.goto(`/s/demo?PROLIFIC_PID=${pid}&SESSION_ID=s-victim`);
	await victim.getByLabel(/agree to take part/).check();
	await victim.getByRole('button', { name: 'Start the study' }).click();
	await victim.waitForURL(/\/s\/demo\/q$/);
	const code = (await victim.getByTestId('resume-code').innerText()).trim();
	expect(code).toMatch(/^[A-Z2-9]{6}$/);

	// The attacker knows the PROLIFIC_PID but has neither the session nor the code.
	const attacker = await (await browser.newContext()).newPage();
	await attacker.goto(`/s/demo?PROLIFIC_PID=${pid}`);
	await expect(attacker).toHaveURL(/\/s\/demo\?/);
	await expect(
		attacker.getByRole('heading', { name: 'Continue where you left off' })
	).toBeVisible();
	await attacker.getByLabel('Resume code').fill('WRONG2');
	await attacker.getByRole('button', { name: 'Continue' }).click();
	await expect(attacker.getByRole('alert')).toContainText('resume code');
	await expect(
		attacker.getByRole('heading', { name: 'Continue where you left off' })
	).toBeVisible();
	await attacker.setViewportSize({ width: 390, height: 844 });
	await screenshot(attacker, 'resume-refused-phone');
	expect((await attacker.context().cookies()).some((c) => c.name.startsWith('sid_p_'))).toBe(false);

	// The participant on a new phone gives the code and continues.
	const phone = await (
		await browser.newContext({ viewport: { width: 390, height: 844 } })
	).newPage();
	await phone.goto(`/s/demo?PROLIFIC_PID=${pid}`);
	await phone.getByLabel('Resume code').fill(code.toLowerCase());
	await phone.getByRole('button', { name: 'Continue' }).click();
	await phone.waitForURL(/\/s\/demo\/q$/);

	// The admin sees both attempts in the live view.
	const admin = await (await browser.newContext()).newPage();
	await login(admin, ADMIN.email, ADMIN.password);
	await admin.goto('/admin/studies');
	await admin
		.getByRole('link', { name: /Which image fits better\? \(demo\)/ })
		.first()
		.click();
	await admin.getByRole('link', { name: 'Live view' }).click();
	const resumes = admin.getByRole('heading', { name: 'Resumes on another device' }).locator('..');
	await expect(resumes).toContainText('refused');
	await expect(resumes).toContainText('resume code');
	await screenshot(admin, 'live-resumes-desktop');
});

test('login never redirects off the site, whatever next= says', async ({ page }) => {
	for (const next of [
		'/%5Cevil.example',
		'/%09/evil.example',
		'//evil.example',
		'/%2F%2Fevil.example'
	]) {
		await page.goto(`/login?next=${next}`);
		await page.getByLabel('Email').fill(ADMIN.email);
		await page.getByLabel('Password').fill(ADMIN.password);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.waitForURL((u) => !u.pathname.startsWith('/login'));
		expect(new URL(page.url()).host).toBe(new URL(page.url()).host.replace(/evil\.example/, ''));
		expect(page.url()).not.toContain('evil.example');
		await page.context().clearCookies();
	}
});

test('an oversized anonymous body is refused before it is read', async ({ request, baseURL }) => {
	const big = 'x'.repeat(2 * 1024 * 1024);
	const res = await request.post('/login', {
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseURL! },
		data: `email=a&password=${big}`
	});
	expect(res.status()).toBe(413);
});
