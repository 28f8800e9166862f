import { defineConfig, devices } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 4173);

// Debian's Chromium: Playwright's own browser download cannot work offline. The networking
// flags keep Chromium from flooding the closed network with background requests.
const chromium = {
	executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
	args: [
		'--no-sandbox',
		'--disable-gpu',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync',
		'--disable-quic',
		'--no-first-run'
	]
};

export default defineConfig({
	testDir: 'e2e',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 60_000,
	reporter: [['list']],
	use: {
		baseURL: `http://localhost:${PORT}`,
		launchOptions: chromium,
		trace: 'retain-on-failure'
	},
	projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], launchOptions: chromium } }],
	webServer: {
		command: 'bash e2e/serve.sh',
		url: `http://localhost:${PORT}/login`,
		timeout: 120_000,
		reuseExistingServer: false,
		env: { PORT: String(PORT) }
	}
});
