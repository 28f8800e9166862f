import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** `npm run --silent sid:lint` as a user runs it: JSON lines in, one {"flags"} line out each. */
describe('sid:lint', () => {
	it('prints one flags line per input line, in order, empty when clean', () => {
		const input = [
			{ class: 'dog', caption: 'a sks dog, a golden retriever, lying on a wooden dock' },
			{ class: 'vase', caption: 'a sks vase holding sunflowers on a farmhouse table' },
			{ class: 'dog', caption: 'a sks dog on a sofa next to two desks' }
		]
			.map((l) => JSON.stringify(l))
			.concat(['not json'])
			.join('\n');
		const run = spawnSync('npm', ['run', '--silent', 'sid:lint', '--', '--identifier', 'sks'], {
			input,
			encoding: 'utf8'
		});
		expect(run.status).toBe(0);
		const out = run.stdout
			.trim()
			.split('\n')
			.map((l) => JSON.parse(l) as { flags: { code: string }[] });
		expect(out.map((o) => o.flags.map((f) => f.code))).toEqual([
			['subject-detail'],
			[],
			['identifier-inside-word'],
			['unreadable']
		]);
	});
});
