import { execFileSync } from 'node:child_process';

/**
 * Every database test runs on PGlite and on a real PostgreSQL. The test command starts one
 * and passes TEST_DATABASE_URL; a bare `vitest` run starts the same throwaway server itself.
 */
export default function setup(): void {
	if (!process.env.TEST_DATABASE_URL) {
		const url = execFileSync('bash', ['scripts/pg-test-server.sh', 'start'], {
			encoding: 'utf8'
		}).trim();
		process.env.TEST_DATABASE_URL = url;
	}
}
