import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';

/**
 * What the screen shows, not the full page: a full-page capture re-lays the page out without
 * the touch emulation, so it would show desktop-only details (keyboard hints) a phone hides.
 */
const screenshot = (page: Page, name: string) =>
	page.screenshot({ path: `e2e/.screens/${name}.png` });

type Box = { x: number; y: number; width: number; height: number };

const SCREENS = [
	{ name: 'phone', width: 390, height: 844, touch: true },
	{ name: 'small-phone', width: 360, height: 640, touch: true },
	{ name: 'landscape-phone', width: 844, height: 390, touch: true },
	{ name: 'desktop', width: 1280, height: 800, touch: false }
];

/** A new participant on the demo survey, on the first question. */
async function firstQuestion(
	browser: Browser,
	s: (typeof SCREENS)[number]
): Promise<{ page: Page; close: () => Promise<void> }> {
	const ctx = await browser.newContext({
		viewport: { width: s.width, height: s.height },
		isMobile: s.touch,
		hasTouch: s.touch
	});
	const page = await ctx.newPage();
	await page.goto(`/s/demo?pid=${s.name}-${Date.now()}`);
	await page.getByLabel(/agree to take part/).check();
	await page.getByRole('button', { name: 'Start the study' }).click();
	const begin = page.getByRole('button', { name: 'Begin' });
	await expect(begin).toBeVisible();
	// The instructions open at their top, the title on screen (no autofocus scroll).
	expect(await page.evaluate(() => window.scrollY)).toBe(0);
	await expect(page.getByRole('heading', { level: 1 })).toBeInViewport();
	await screenshot(page, `phone-${s.name}-instructions`);
	await begin.click();
	await expect(page.locator('.count')).toContainText('Question 1 of 40');
	await page.waitForLoadState('networkidle');
	return { page, close: () => ctx.close() };
}

/** What a participant must see at once to answer, by name. */
function parts(page: Page): Record<string, Locator> {
	return {
		prompt: page.locator('.prompt'),
		'image A': page.getByRole('img', { name: /^Image A/ }),
		'image B': page.getByRole('img', { name: /^Image B/ }),
		question: page.locator('#question'),
		'answer A': page.getByRole('button', { name: 'Image A', exact: true }),
		'answer B': page.getByRole('button', { name: 'Image B', exact: true }),
		undecided: page.getByRole('button', { name: 'Cannot determine / Both equally' })
	};
}

/** Every part's box, after checking that it lies wholly inside the viewport, unscrolled. */
async function boxesInside(page: Page): Promise<Record<string, Box>> {
	const view = page.viewportSize()!;
	expect(await page.evaluate(() => window.scrollY)).toBe(0);
	const out: Record<string, Box> = {};
	for (const [name, loc] of Object.entries(parts(page))) {
		const b = (await loc.boundingBox())!;
		expect(b, `${name} has a box`).not.toBeNull();
		const inside =
			b.x >= 0 && b.y >= 0 && b.x + b.width <= view.width && b.y + b.height <= view.height;
		expect(inside, `${name} ${JSON.stringify(b)} inside ${JSON.stringify(view)}`).toBe(true);
		out[name] = b;
	}
	return out;
}

function sameBoxes(after: Record<string, Box>, before: Record<string, Box>) {
	for (const name of Object.keys(before))
		for (const k of ['x', 'y', 'width', 'height'] as const)
			expect(Math.abs(after[name][k] - before[name][k]), `${name}.${k} moved`).toBeLessThan(1);
}

async function answer(page: Page, which: 'Image A' | 'Image B', next: number) {
	await page.getByRole('button', { name: which, exact: true }).click();
	await expect(page.locator('.count')).toContainText(`Question ${next} of 40`);
	// The click guard ignores a second answer within 300 ms of a switch.
	await page.waitForTimeout(350);
}

test('on a 390 × 844 phone, the pair, the prompt, the question and the answers fit; nothing moves after an answer; images open full screen', async ({
	browser
}) => {
	const { page, close } = await firstQuestion(browser, SCREENS[0]);
	const first = await boxesInside(page);
	// Side by side: A and B on one row.
	expect(Math.abs(first['image A'].y - first['image B'].y)).toBeLessThan(1);
	// No keyboard hints on a touch screen before a key is pressed.
	await expect(page.locator('.choices kbd').first()).toBeHidden();
	await screenshot(page, 'phone-question');

	// Within a pair and across to the next pair (question 5), every box stays put.
	await answer(page, 'Image A', 2);
	sameBoxes(await boxesInside(page), first);
	await screenshot(page, 'phone-question-2');
	await answer(page, 'Image B', 3);
	await answer(page, 'Image A', 4);
	await answer(page, 'Image B', 5);
	await expect(page.locator('.count')).toContainText('pair 2 of 10');
	sameBoxes(await boxesInside(page), first);
	await expect(page.getByRole('status').first()).toHaveText('All answers saved');

	// Pinch-zoom stays the browser's: the page never forbids it.
	const viewport = await page.locator('meta[name=viewport]').getAttribute('content');
	expect(viewport).not.toMatch(/user-scalable\s*=\s*(no|0)|maximum-scale/);

	// Tapping image B opens it full screen; the close control returns to the same question.
	const dialog = page.getByRole('dialog', { name: 'Enlarged image' });
	await page.getByRole('button', { name: 'Enlarge image B' }).tap();
	await expect(dialog).toBeVisible();
	await expect(dialog.getByRole('img')).toHaveAttribute('src', /\/1024$/);
	const big = (await dialog.getByRole('img').boundingBox())!;
	expect(big.width).toBeGreaterThan(380);
	// "pan-x pan-y pinch-zoom" reads back as its shorthand "manipulation".
	const touch = await dialog.locator('.scroller').evaluate((e) => getComputedStyle(e).touchAction);
	expect(touch).toMatch(/pinch-zoom|manipulation|auto/);
	await screenshot(page, 'phone-zoom');
	// A tap on the enlarged image shows it at full size, scrollable.
	await dialog.getByRole('img').tap();
	expect((await dialog.getByRole('img').boundingBox())!.width).toBeGreaterThan(1000);
	await dialog.getByRole('button', { name: 'Close' }).tap();
	await expect(dialog).toBeHidden();
	await expect(page.locator('.count')).toContainText('Question 5 of 40');

	// The phone's back button closes it too, without leaving the survey.
	await page.getByRole('button', { name: 'Enlarge image A' }).tap();
	await expect(dialog).toBeVisible();
	await page.goBack();
	await expect(dialog).toBeHidden();
	expect(new URL(page.url()).pathname).toBe('/s/demo/q');
	await expect(page.locator('.count')).toContainText('Question 5 of 40');

	// And Escape on an attached keyboard; a key press brings the keyboard hints.
	await page.getByRole('button', { name: 'Enlarge reference photo 1' }).tap();
	await expect(dialog).toBeVisible();
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
	await expect(page.locator('.choices kbd').first()).toBeVisible();
	sameBoxes(await boxesInside(page), first);
	await close();
});

for (const s of SCREENS.slice(1))
	test(`on a ${s.name} (${s.width} × ${s.height}) the whole question fits without scrolling`, async ({
		browser
	}) => {
		const { page, close } = await firstQuestion(browser, s);
		const first = await boxesInside(page);
		await screenshot(page, `phone-${s.name}-question`);
		await answer(page, 'Image B', 2);
		sameBoxes(await boxesInside(page), first);
		const hints = page.locator('.choices kbd').first();
		if (s.touch) await expect(hints).toBeHidden();
		else await expect(hints).toBeVisible();
		await close();
	});
