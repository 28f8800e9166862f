import { sveltekit } from '@sveltejs/kit/vite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['src/**/*.test.ts'],
		environment: 'node',
		env: { DATA_DIR: join(tmpdir(), 'sid-studio-vitest'), JOB_RUNNER: 'off' },
		globalSetup: ['src/lib/server/testing/global-setup.ts'],
		testTimeout: 30_000,
		// The security log's JSON lines are expected in tests that provoke refusals.
		onConsoleLog: (log) => !log.startsWith('{"event":'),
		hookTimeout: 60_000,
		// Two cores: PGlite instances are memory-hungry, keep parallelism modest.
		maxWorkers: 2
	}
});
