import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

// argon2id (the library's default algorithm) at OWASP's recommended minimum: 19 MiB, 2 passes, 1 lane.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export const MIN_PASSWORD_LENGTH = 12;

export function hashPassword(password: string): Promise<string> {
	return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password);
	} catch {
		return false;
	}
}

/** A hash to verify against when the account does not exist, so timing does not reveal which emails exist. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
	dummyHash ??= hashPassword('not-a-real-password-for-timing');
	return dummyHash;
}

/**
 * The common-password list of zxcvbn-ts (about 49,000 passwords from public breach corpora,
 * maintained upstream; pinned in package.json), lower-cased once on first use.
 */
let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
	common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
	return common;
}

/**
 * Why a new password is too weak, or null. The one policy for invite join, password change,
 * `admin:create` and the env bootstrap. Length is what matters most (NIST SP 800-63B); on
 * top, a password made of a few repeated characters (`aaaaaaaaaaaa`, `121212121212`) passes
 * a length rule while being among the first an attacker tries, and so does any password on
 * a list of commonly used ones (compared case-insensitively: `LeaveMeAlone` is as guessable
 * as `leavemealone`).
 */
export function passwordProblem(password: string): string | null {
	if (password.length < MIN_PASSWORD_LENGTH) {
		return `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`;
	}
	if (password.length > 1024) return 'Choose a password of at most 1024 characters.';
	if (new Set(password.toLowerCase()).size < 5) {
		return 'This password repeats a few characters; choose one with more variety.';
	}
	if (commonPasswords().has(password.toLowerCase())) {
		return 'This password is on a list of commonly used passwords; choose another.';
	}
	return null;
}
