import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * One process owns a PGlite data folder. PGlite is PostgreSQL compiled to WASM inside one
 * process: a second process opening the same folder (the CLI while the server runs, or a
 * second server) does not see the first one's writes and may overwrite them, so
 * `admin:create` used to print "Admin ready" for an account that was then lost. The owner
 * writes `<folder>.lock` holding its pid and host; anyone else is refused with a message
 * saying who holds it. A lock left by a process that died is taken over.
 */
interface Holder {
	pid: number;
	host: string;
	since: string;
	what: string;
}

/** Code of the error a second process gets; scripts print its message without a stack. */
export const FOLDER_BUSY = 'PGLITE_FOLDER_BUSY';

// An operational fact, not a bug and not an HTTP refusal: a plain Error with a code.
function folderBusy(folder: string, holder: Holder): Error {
	return Object.assign(
		new Error(
			`The embedded database folder ${folder} is in use by process ${holder.pid} on ${holder.host} ` +
				`(${holder.what}, since ${holder.since}). PGlite allows one process per folder: stop that ` +
				`process first, or use PostgreSQL (DATABASE_URL) to run several processes on one database. ` +
				`If that process is gone, delete ${folder}.lock.`
		),
		{ code: FOLDER_BUSY }
	);
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		// EPERM: it exists but belongs to someone else.
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function readHolder(path: string) {
	try {
		return JSON.parse(readFileSync(path, 'utf8')) as Holder;
	} catch {
		return null; // unreadable or half-written: treated as stale below
	}
}

/** Takes the folder's lock or throws a FOLDER_BUSY error; returns the release function. */
export function lockPgliteFolder(folder: string): () => void {
	const path = `${folder}.lock`;
	const me = {
		pid: process.pid,
		host: hostname(),
		since: new Date().toISOString(),
		what: process.argv.slice(1, 3).join(' ') || 'node'
	};
	for (let attempt = 0; attempt < 3; attempt++) {
		try {
			const fd = openSync(path, 'wx');
			writeSync(fd, JSON.stringify(me));
			closeSync(fd);
			const release = () => {
				if (readHolder(path)?.pid === me.pid) rmSync(path, { force: true });
				process.off('exit', release);
			};
			// A process that exits without closing (a crash, process.exit) still frees it.
			process.on('exit', release);
			return release;
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
		}
		const holder = readHolder(path);
		const stale =
			!holder || (holder.host === me.host && holder.pid !== me.pid && !alive(holder.pid));
		if (!stale) throw folderBusy(folder, holder);
		rmSync(path, { force: true });
	}
	throw folderBusy(folder, readHolder(path) ?? { ...me, what: 'unknown' });
}
