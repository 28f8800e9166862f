import { expect, test, type Page } from '@playwright/test';
import { ADMIN, login, screenshot } from './helpers';

// Issue 14, findings 1-3, tried against the running app as an attacker would.

/** The admin opens the demo study's page from the study list. */
async function openDemoStudy(admin: Page): Promise<void> {
	await admin.goto('/admin/studies');
	await admin
		.getByRole('link', { name: /Which image fits better\? \(demo\)/ })
		.first()
		.click();
}

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
	await openDemoStudy(admin);
	await admin.getByRole('link', { name: 'Live view' }).click();
	const resumes = admin.getByRole('heading', { name: 'Resumes on another device' }).locator('..');
	await expect(resumes).toContainText('refused');
	await expect(resumes).toContainText('resume code');
	await screenshot(admin, 'live-resumes-desktop');
});

test('a study set to refuse keeps a known id on its first browser', async ({ browser }) => {
	const admin = await (
		await browser.newContext({ viewport: { width: 1280, height: 900 } })
	).newPage();
	await login(admin, ADMIN.email, ADMIN.password);
	await openDemoStudy(admin);
	await admin.waitForURL(/\/admin\/studies\/[^/]+$/);
	const studyUrl = admin.url();
	const choose = async (label: string) => {
		await admin.goto(studyUrl);
		await admin.getByLabel(/A new browser with a known participant ID/).selectOption({ label });
		await admin.getByRole('button', { name: 'Save settings' }).click();
		await expect(admin.getByText('Settings saved.')).toBeVisible();
	};
	await choose('Refuse: the study continues only in the first browser');
	try {
		await admin.getByLabel(/A new browser with a known participant ID/).scrollIntoViewIfNeeded();
		await screenshot(admin, 'study-unproven-resume-desktop');
		const pid = `STRICT${Date.now()}`;
		const first = await (await browser.newContext()).newPage();
		await first.goto(`/s/demo?PROLIFIC_PID=${pid}&SESSION_ID=s-strict`);
		await first.getByLabel(/agree to take part/).check();
		await first.getByRole('button', { name: 'Start the study' }).click();
		await first.waitForURL(/\/s\/demo\/q$/);

		const other = await (
			await browser.newContext({ viewport: { width: 390, height: 844 } })
		).newPage();
		await other.goto(`/s/demo?PROLIFIC_PID=${pid}`);
		await expect(other.getByRole('alert')).toContainText('only be continued in that browser');
		await expect(other.getByLabel('Resume code')).toHaveCount(0);
		await screenshot(other, 'resume-refused-by-study-phone');
		expect((await other.context().cookies()).some((c) => c.name.startsWith('sid_p_'))).toBe(false);
	} finally {
		await choose("Ask for the participant's resume code");
	}
});

test('login never redirects off the site, whatever next= says', async ({ browser }) => {
	for (const next of [
		'/%5Cevil.example',
		'/%09/evil.example',
		'//evil.example',
		'/%2F%2Fevil.example'
	]) {
		// A fresh browser each time: clearing cookies could race a response still renewing the session.
		const page = await (await browser.newContext()).newPage();
		await page.goto(`/login?next=${next}`);
		await page.getByLabel('Email').fill(ADMIN.email);
		await page.getByLabel('Password').fill(ADMIN.password);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.waitForURL((u) => !u.pathname.startsWith('/login'));
		expect(new URL(page.url()).host).toBe(new URL(page.url()).host.replace(/evil\.example/, ''));
		expect(page.url()).not.toContain('evil.example');
		await page.context().close();
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
