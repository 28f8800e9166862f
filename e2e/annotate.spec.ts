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

	// Ada corrects the structure: first a detail of the subject is flagged, then fixed.
	await expect(ada.getByTestId('final-caption')).toContainText('sks');
	const subjectPhrase = await ada.getByTestId('subject-phrase').innerText();
	await setStructure(ada, [['on', 'a rug', 'a red rug, its brown fur wet']], null);
	await ada.getByRole('button', { name: 'Save structure' }).click();
	await expect(ada.getByRole('list', { name: 'Flags' })).toContainText('describes the subject');
	await setStructure(
		ada,
		[
			['on', 'a rug', 'a red rug'],
			['next to', 'a ball', 'a green ball']
		],
		null
	);
	await ada.getByRole('button', { name: 'Save structure' }).click();
	await expect(ada.getByText('No selectivity flags.')).toBeVisible();
	// All four cases come from that one structure.
	await expect(ada.getByTestId('case-2')).toHaveText(`a ${subjectPhrase} on a rug, next to a ball`);
	await expect(ada.getByTestId('case-3')).toHaveText(
		`a ${subjectPhrase} on a red rug, next to a green ball`
	);
	await screenshot(ada, 'annotate-item');

	// Facial expression (live subjects): placed by the app right after "[v] [class]".
	await ada.getByLabel(/^Facial expression/).fill('with its tongue out');
	await ada.getByRole('button', { name: 'Save expression' }).click();
	await expect(ada.getByTestId('final-caption')).toHaveText(
		`a ${subjectPhrase} with its tongue out on a red rug, next to a green ball`
	);

	// Two editors save the same item from the same version: one success, one conflict.
	const admin2 = admin;
	await admin2.goto(`/annotate/${adaItem}`);
	await setStructure(admin2, [['on', 'a rug', 'a blue rug']], null);
	await setStructure(
		ada,
		[
			['on', 'a rug', 'a red rug'],
			['next to', 'a ball', 'a green ball'],
			['beside', 'a shoe', 'a shoe']
		],
		null
	);
	await ada.getByRole('button', { name: 'Save structure' }).click();
	await expect(ada.getByRole('status')).toHaveText('Saved.');
	await admin2.getByRole('button', { name: 'Save structure' }).click();
	await expect(admin2.getByRole('alert')).toContainText(
		'saved this caption while you were editing'
	);
	const conflict = admin2.getByRole('region', { name: 'Conflict' });
	await expect(conflict).toContainText('a blue rug');
	await expect(conflict).toContainText('beside a shoe');
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

/** Replaces the structure in the review form: undesired objects and the background. */
async function setStructure(
	page: Page,
	objects: [string, string, string][],
	background: [string, string, string] | null
) {
	const objs = page.getByRole('group', { name: 'Undesired objects' });
	const remove = objs.getByRole('button', { name: /^Remove object/ });
	while ((await remove.count()) > 0) await remove.first().click();
	for (const [relation, name, details] of objects) {
		await objs.getByRole('button', { name: 'Add an object' }).click();
		const row = objs.locator('.part').last();
		await row.getByLabel('Relation').fill(relation);
		await row.getByLabel('Class name (case 2)').fill(name);
		await row.getByLabel('Details (case 3)').fill(details);
	}
	const bg = page.getByRole('group', { name: 'Background' });
	await bg.getByLabel('Relation').fill(background?.[0] ?? '');
	await bg.getByLabel('Class name (case 2)').fill(background?.[1] ?? '');
	await bg.getByLabel('Details (case 3)').fill(background?.[2] ?? '');
}

test('admin sees drafting progress, instruction versions and exports', async ({ page }) => {
	await login(page, ADMIN.email, ADMIN.password);
	await page.goto('/admin/subjects');
	await page.getByRole('link', { name: /^vase/ }).first().click();
	await expect(page.getByRole('status', { name: 'Drafting progress' })).toContainText(
		'6 of 6 drafted'
	);
	await expect(
		page.getByRole('link', { name: 'metadata.jsonl', exact: true }).first()
	).toBeVisible();
	await screenshot(page, 'admin-subject-drafts');
	const res = await page.request.get(
		(await page
			.getByRole('link', { name: 'metadata.jsonl', exact: true })
			.first()
			.getAttribute('href'))!
	);
	const metadata = await res.text();
	expect(metadata).toContain('"text":"a sks vase"');
	// The file names are those of the images in the dataset ZIP (the shipped images are JPEG).
	expect(metadata).toContain('"file_name":"00.jpg"');
	const zip = await page.request.get(
		(await page
			.getByRole('link', { name: /^dataset/ })
			.first()
			.getAttribute('href'))!
	);
	expect(zip.headers()['content-type']).toBe('application/zip');
	expect((await zip.body()).subarray(0, 2).toString()).toBe('PK');
	await page.goto('/admin/vlm');
	await expect(page.getByRole('heading', { name: 'Paper (Appendix C)' })).toBeVisible();
	await page.getByText('Exactly what is sent').first().click();
	await expect(page.getByTestId('sent-paper')).toContainText(
		'Please start the sentence with "A sks'
	);
	await screenshot(page, 'admin-vlm');
});
