import { describe, expect, it } from 'vitest';
import { Refusal } from '../http/refusal';
import { makeZip } from '../testing/zip-fixture';
import { readZip, readZipOrRefuse, unsafeName } from './zip-reader';

const small = { maxEntries: 10, maxTotalBytes: 2 * 1024 * 1024, maxFileBytes: 1024 * 1024 };
const text = (s: string) => Buffer.from(s);

// One set of rules for every import (issue 14: two readers used to disagree).
describe('the one ZIP reader', () => {
	it.each([
		['../../etc/passwd', /zip-slip/],
		['a/../../b.png', /zip-slip/],
		['/etc/passwd', /absolute path/],
		['C:/Windows/evil.png', /absolute path/],
		['c:evil.png', /absolute path/],
		['a\\..\\..\\evil.png', /backslash/],
		['a/b\u0000.png', /control characters/],
		['a/b\u001b[31m.png', /control characters/],
		['a/b\u007f.png', /control characters/]
	])('refuses the name %j', async (name, why) => {
		expect(unsafeName(name)).toMatch(why);
		const { problems, files } = await readZip(makeZip([{ name, data: text('x') }]), small);
		expect(problems.join()).toMatch(why);
		expect(files.size).toBe(0);
	});

	it('accepts ordinary names and normalises ./ away', async () => {
		const { files, problems } = await readZip(
			makeZip([
				{ name: './a/b.png', data: text('1') },
				{ name: 'a/c d.png', data: text('2') },
				{ name: '__MACOSX/a/._b.png', data: text('junk') },
				{ name: 'a/.DS_Store', data: text('junk') },
				{ name: 'a/Thumbs.db', data: text('junk') }
			]),
			small
		);
		expect(problems).toEqual([]);
		expect([...files.keys()].sort()).toEqual(['a/b.png', 'a/c d.png']);
	});

	it('refuses symbolic links and names appearing twice', async () => {
		const { problems } = await readZip(
			makeZip([
				{ name: 'link.png', data: text('/etc/passwd'), mode: 0o120777 },
				{ name: 'a.png', data: text('1') },
				{ name: './a.png', data: text('2') }
			]),
			small
		);
		expect(problems.join('\n')).toMatch(/link\.png: is a symbolic link/);
		expect(problems.join('\n')).toMatch(/a\.png: appears twice/);
	});

	it('stops a bomb that lies in its headers while inflating, per file and in total', async () => {
		const zeros = Buffer.alloc(3 * 1024 * 1024);
		const lying = makeZip([{ name: 'bomb.png', data: zeros, declaredSize: 1000 }]);
		expect(lying.length).toBeLessThan(20_000);
		expect((await readZip(lying, small)).problems.join()).toMatch(/bomb\.png/);
		const perFile = makeZip([{ name: 'big.png', data: Buffer.alloc(1.5 * 1024 * 1024) }]);
		expect((await readZip(perFile, small)).problems.join()).toMatch(
			/big\.png: unpacks to more than the 1 MB one file may hold/
		);
		const total = makeZip(
			Array.from({ length: 3 }, (_, i) => ({ name: `${i}.png`, data: Buffer.alloc(900 * 1024) }))
		);
		expect((await readZip(total, small)).problems.join()).toMatch(
			/2\.png: unpacks to more than the 2 MB the whole archive may hold/
		);
	});

	it('refuses too many entries, damaged archives and non-archives', async () => {
		const many = makeZip(Array.from({ length: 11 }, (_, i) => ({ name: `${i}`, data: text('x') })));
		expect((await readZip(many, small)).problems.join()).toMatch(/11 entries; the limit is 10/);
		expect((await readZip(text('not a zip'), small)).problems.join()).toMatch(/not a readable ZIP/);
		const damaged = makeZip([{ name: 'a.png', data: Buffer.alloc(10_000, 7) }]);
		damaged.fill(0xff, 40, 80); // inside the deflated data of the only entry
		const { problems } = await readZip(damaged, small);
		expect(problems.length).toBeGreaterThan(0);
	});

	it('refuses as a 400 carrying every problem', async () => {
		const e = await readZipOrRefuse(
			makeZip([
				{ name: '../x', data: text('x') },
				{ name: 'C:/y', data: text('y') }
			]),
			small
		).catch((err) => err);
		expect(e).toBeInstanceOf(Refusal);
		expect(e.status).toBe(400);
		expect(e.extra.problems).toHaveLength(2);
	});
});
