// Patches postgres.js 3.4.9's write scheduler (run after every install; idempotent).
//
// A small write is deferred with setImmediate; when the server closes the connection first
// (a PostgreSQL restart, a killed backend), `closed()` sets the socket to null and the
// deferred `nextWrite` then throws a TypeError from a timer, which no caller can catch: the
// whole app process dies. Upstream: porsager/postgres#1154 and #1208 (fix proposed in
// #1168/#1176/#1209, not released). Our fault test (bench/faults.ts, PostgreSQL restarted
// under load) crashes without this patch. The patch settles the pending work with a
// CONNECTION_CLOSED error, which the pool already handles, and forgets the stale timer
// so the connection can write again once reconnected.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MARK = '/* sid-studio: null-socket guard */';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'postgres');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const edits = [
	[
		'  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)',
		`  function nextWrite(fn) {\n    ${MARK}\n    if (!socket) {\n      nextWriteTimer !== null && clearImmediate(nextWriteTimer)\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options))\n      return false\n    }\n    const x = socket.write(chunk, fn)`
	],
	[
		'    clearImmediate(nextWriteTimer)\n',
		'    clearImmediate(nextWriteTimer), nextWriteTimer = null, chunk = null\n'
	]
];

for (const file of ['src/connection.js', 'cjs/src/connection.js']) {
	const path = join(root, file);
	let src = readFileSync(path, 'utf8');
	if (src.includes(MARK)) continue;
	for (const [from, to] of edits) {
		if (!src.includes(from)) {
			console.error(
				`patch-postgres: postgres ${version} ${file} no longer has the code this patch fixes;`
			);
			console.error(
				'check whether the upstream fix was released and remove scripts/patch-postgres.mjs.'
			);
			process.exit(1);
		}
		src = src.split(from).join(to);
	}
	writeFileSync(path, src);
}
