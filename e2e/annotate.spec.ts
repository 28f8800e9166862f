import { expect, test, type Browser, type Page } from '@playwright/test';
import { ADMIN, login, screenshot } from './helpers';

/** The admin invites an annotator, who joins; returns that annotator's signed-in page. */
async function newAnnotator(browser: Browser, admin: Page, name: string): Promise<Page> {
	const email = `${name.toLowerCase()}-${Date.now()}@example.org`;
	await admin.goto('/admin/users');
	await admin.getByLabel('Email').fill(email);
	await admin.getByRole('button', { name: 'Create invitation link' }).click();
	const link = await admin.getByTestId('invite-link').inputValue();
	const page = await (await browser.newContext()).newPage();
	await page.goto(link);
	await page.getByLabel('Your name').fill(name);
	await page.getByLabel('Password (at least 12 characters)').fill('a-strong-password-42');
	await page.getByLabel('Password again').fill('a-strong-password-42');
	await page.getByRole('button', { name: 'Create my account' }).click();
	await expect(page.getByRole('heading', { name: `Welcome, ${name}` })).toBeVisible();
	return page;
}

const itemId = (p: Page) => new URL(p.url()).pathname.split('/').pop();

test('annotators review drafted SIDs without ever sharing an item; stale saves conflict', async ({
	browser
}) => {
	const admin = await (await browser.newContext()).newPage();
	await login(admin, ADMIN.email, ADMIN.password);
	const ada = await newAnnotator(browser, admin, 'Ada');
	const bob = await newAnnotator(browser, admin, 'Bob');

	// Both take the next item at the same moment: never the same one.
	await Promise.all([ada.goto('/annotate'), bob.goto('/annotate')]);
	await expect(ada.getByRole('heading', { name: 'Review queue' })).toBeVisible();
	// Both pick the live subject "dog" (five images), so facial expressions apply.
	await Promise.all([
		ada.getByRole('button', { name: 'Review dog', exact: true }).click(),
		bob.getByRole('button', { name: 'Review dog', exact: true }).click()
	]);
	await Promise.all([
		ada.waitForURL(/\/annotate\/[0-9a-f-]{36}$/),
		bob.waitForURL(/\/annotate\/[0-9a-f-]{36}$/)
	]);
	expect(itemId(ada)).not.toBe(itemId(bob));
	// Asking again keeps each with the item they hold.
	await ada.goto('/annotate');
	await ada.getByRole('button', { name: 'Take the next item' }).click();
	await ada.waitForURL(/\/annotate\/[0-9a-f-]{36}$/);
	const adaItem = itemId(ada);
	expect(adaItem).not.toBe(itemId(bob));

	// Ada corrects the SID: first a detail on the subject is flagged, then fixed.
	await expect(ada.getByTestId('final-caption')).toContainText('sks');
	const subjectPhrase = await ada.getByTestId('subject-phrase').innerText();
	await ada
		.getByLabel(/^SID \(case 3\)/)
		.fill(`a sks fluffy ${subjectPhrase.replace('sks ', '')} on a red rug`);
	await ada.getByRole('button', { name: 'Save SID' }).click();
	await expect(ada.getByRole('list', { name: 'Flags' })).toContainText('describes the subject');
	await ada
		.getByLabel(/^SID \(case 3\)/)
		.fill(`a ${subjectPhrase} on a red rug next to a green ball`);
	await ada.getByRole('button', { name: 'Save SID' }).click();
	await expect(ada.getByText('No selectivity flags.')).toBeVisible();
	await screenshot(ada, 'annotate-item');

	// Facial expression (live subjects): placed by the app right after "[v] [class]".
	await ada.getByLabel(/^Facial expression/).fill('with its tongue out');
	await ada.getByRole('button', { name: 'Save expression' }).click();
	await expect(ada.getByTestId('final-caption')).toHaveText(
		`a ${subjectPhrase} with its tongue out on a red rug next to a green ball`
	);

	// Two editors save the same item from the same version: one success, one conflict.
	const admin2 = admin;
	await admin2.goto(`/annotate/${adaItem}`);
	await admin2.getByLabel(/^SID \(case 3\)/).fill(`a ${subjectPhrase} on a blue rug`);
	await ada
		.getByLabel(/^SID \(case 3\)/)
		.fill(`a ${subjectPhrase} on a red rug next to a green ball and a shoe`);
	await ada.getByRole('button', { name: 'Save SID' }).click();
	await expect(ada.getByRole('status')).toHaveText('Saved.');
	await admin2.getByRole('button', { name: 'Save SID' }).click();
	await expect(admin2.getByRole('alert')).toContainText(
		'saved this caption while you were editing'
	);
	const conflict = admin2.getByRole('region', { name: 'Conflict' });
	await expect(conflict).toContainText(`a ${subjectPhrase} on a blue rug`);
	await expect(conflict).toContainText('and a shoe');
	await screenshot(admin2, 'annotate-conflict');

	// Ada approves with the keyboard; the history shows the model's draft and her edits.
	await ada.locator('body').click({ position: { x: 5, y: 5 } });
	await ada.keyboard.press('a');
	await expect(ada.locator('.badge')).toHaveText('approved');
	const history = ada.getByRole('heading', { name: 'History' }).locator('..');
	await expect(history).toContainText('approve by Ada');
	await expect(history).toContainText('draft by model demo-recording');
	await screenshot(ada, 'annotate-approved');

	// Next item (N) hands Ada a different item, still never Bob's.
	await ada.keyboard.press('n');
	await ada.waitForURL((u) => !u.pathname.endsWith(adaItem!));
	expect(itemId(ada)).not.toBe(itemId(bob));

	await ada.setViewportSize({ width: 390, height: 844 });
	await screenshot(ada, 'annotate-phone');
});

test('admin sees drafting progress, instruction versions and exports', async ({ page }) => {
	await login(page, ADMIN.email, ADMIN.password);
	await page.goto('/admin/subjects');
	await page.getByRole('link', { name: /^vase/ }).first().click();
	await expect(page.getByRole('status', { name: 'Drafting progress' })).toContainText(
		'6 of 6 drafted'
	);
	await expect(page.getByRole('link', { name: 'metadata.jsonl' }).first()).toBeVisible();
	await screenshot(page, 'admin-subject-drafts');
	const res = await page.request.get(
		(await page.getByRole('link', { name: 'metadata.jsonl' }).first().getAttribute('href'))!
	);
	expect(await res.text()).toContain('"text":"a sks vase"');
	await page.goto('/admin/vlm');
	await expect(
		page.getByRole('heading', { name: 'SID instruction (objects and live subjects)' })
	).toBeVisible();
	await screenshot(page, 'admin-vlm');
});
