import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password';

// Issue 14, finding 5: `aaaaaaaaaaaa` was accepted, and nothing refused the passwords that
// attackers try first. The list is zxcvbn-ts's common-password list (pinned in package.json).
describe('password policy', () => {
	it('refuses passwords on the common-password list, whatever their case', () => {
		for (const common of [
			'qwerty123456',
			'QWERTY123456',
			'LeaveMeAlone',
			'1qaz2wsx3edc',
			'finalfantasy',
			'FinalFantasy'
		]) {
			expect(passwordProblem(common), common).toMatch(/commonly used/);
		}
	});

	it('keeps the length and variety rules', () => {
		expect(passwordProblem('short')).toMatch(/at least 12/);
		expect(passwordProblem('aaaaaaaaaaaa')).toMatch(/variety/);
		expect(passwordProblem('121212121212')).toMatch(/variety/);
		expect(passwordProblem('x'.repeat(1025))).toMatch(/at most 1024/);
	});

	it('accepts a long password that is on no list', () => {
		expect(passwordProblem('correct horse battery staple')).toBeNull();
		expect(passwordProblem('a long enough password')).toBeNull();
	});
});
