import type { Page } from '@playwright/test';

export const ADMIN = { email: 'e2e-admin@example.org', password: 'e2e-admin-password-1' };

export async function login(page: Page, email: string, password: string): Promise<void> {
	await page.goto('/login');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** Screenshots land in e2e/.screens (git-ignored) for a person to look at. */
export function screenshot(page: Page, name: string): Promise<Buffer> {
	return page.screenshot({ path: `e2e/.screens/${name}.png`, fullPage: true });
}
