import { describe, expect, it } from 'vitest';
import { error, isActionFailure, isHttpError } from '@sveltejs/kit';
import {
	Refusal,
	actionOrRefusal,
	orRefusal,
	refuse,
	refusedAction,
	refusedJson,
	settle
} from './refusal';

describe('one way to refuse', () => {
	it('turns a refusal into the one action shape, { message, fields? } plus extras', async () => {
		const f = (await actionOrRefusal(async () =>
			refuse(409, 'The study is open.', { title: 'Locked' }, { problems: ['a'] })
		)) as { status: number; data: unknown };
		expect(isActionFailure(f)).toBe(true);
		expect(f.status).toBe(409);
		expect(f.data).toEqual({
			message: 'The study is open.',
			fields: { title: 'Locked' },
			problems: ['a']
		});
		const plain = refusedAction(new Refusal(400, 'No.'));
		expect(plain.data).toEqual({ message: 'No.' });
	});

	it('passes results through and maps SvelteKit 4xx errors to the same shape', async () => {
		expect(await actionOrRefusal(async () => ({ ok: true }))).toEqual({ ok: true });
		const f = (await actionOrRefusal(async () => error(413, 'Too large.'))) as { data: unknown };
		expect(isActionFailure(f)).toBe(true);
		expect(f.data).toEqual({ message: 'Too large.' });
	});

	it('rethrows anything else: a plain Error is a bug and stays a 500', async () => {
		const bug = new Error('db down');
		await expect(actionOrRefusal(async () => Promise.reject(bug))).rejects.toBe(bug);
		await expect(orRefusal(async () => Promise.reject(bug))).rejects.toBe(bug);
		expect(() => refusedJson(bug)).toThrow(bug);
	});

	it('turns a refusal into a JSON error of its status for endpoints', async () => {
		const e = await orRefusal(async () => refuse(404, 'No such item.')).catch((x) => x);
		expect(isHttpError(e)).toBe(true);
		expect(e.status).toBe(404);
		expect(e.body).toEqual({ message: 'No such item.' });
	});

	it('settles a refusal for pages that answer it by going elsewhere', async () => {
		expect(await settle(Promise.resolve(3))).toEqual({ ok: true, value: 3 });
		const s = await settle(Promise.reject(new Refusal(409, 'Open questions')));
		expect(s.ok).toBe(false);
		await expect(settle(Promise.reject(new Error('bug')))).rejects.toThrow('bug');
	});
});
