import type { ChildProcess } from 'node:child_process';
import { exited, startTsProcess, waitFor } from '../testing/processes';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import { openDatabase } from '../db';
import { enqueue, getJob } from './queue';

const startApp = (env: Record<string, string>) =>
	startTsProcess('src/lib/server/testing/job-process.ts', env);

describe.each(DB_KINDS)('a job survives a killed process on %s', (kind) => {
	const children: ChildProcess[] = [];
	afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

	it('runs again after restart and completes exactly once', { timeout: 120_000 }, async () => {
		const dir = mkdtempSync(join(tmpdir(), 'sid-crash-'));
		const marker = join(dir, 'marker.log');
		let env: Record<string, string>;
		let payloadDb;
		if (kind === 'postgres') {
			const pg = await freshDatabase('postgres');
			env = { DATABASE_URL: pg.url!, MARKER_FILE: marker };
			payloadDb = pg;
		} else {
			// Embedded mode: the restarted process reopens the same PGlite folder the dead one used.
			env = { DATA_DIR: dir, MARKER_FILE: marker };
			payloadDb = await openDatabase({ dataDir: join(dir, 'pglite') });
			await payloadDb.migrate();
		}
		const job = await enqueue(payloadDb.db, { kind: 'test.slow', payload: { n: 1 } });
		if (kind === 'pglite') await payloadDb.close(); // PGlite allows one process at a time

		const first = startApp({ ...env, SLOW: '1' });
		children.push(first);
		await waitFor(() => existsSync(marker) && readFileSync(marker, 'utf8').includes('started'));
		first.kill('SIGKILL');
		await exited(first);

		const second = startApp({ ...env, SLOW: '0' });
		children.push(second);
		// It exits by itself once the job is recorded as done and its database is closed.
		await waitFor(() => readFileSync(marker, 'utf8').includes('closed'));
		await exited(second);

		const log = readFileSync(marker, 'utf8');
		expect(log.match(/started/g)).toHaveLength(2);
		expect(log.match(/finished/g)).toHaveLength(1);
		const check =
			kind === 'postgres' ? payloadDb : await openDatabase({ dataDir: join(dir, 'pglite') });
		const done = await getJob(check.db, job.id);
		expect(done?.state).toBe('done');
		expect(done?.attempts).toBe(2);
		expect((done?.result as { by: number }).by).toBe(second.pid);
		await check.close();
	});
});
