import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clipTokenIds, identifierPieces, tokenBudget } from './clip-tokenizer';
import { identifierFlags, lintCaption } from './lint';
import { subjectInput } from '../subjects/subjects';

/**
 * Token ids from Hugging Face's CLIPTokenizer over the same merge list, for the labelled SIDs,
 * the demo captions and awkward strings (scripts/clip-tokenizer-fixture.py wrote them).
 */
const fixture = readFileSync(join(import.meta.dirname, 'clip-tokenizer.fixture.jsonl'), 'utf8')
	.split('\n')
	.filter(Boolean)
	.map((l) => JSON.parse(l) as { text: string; ids: number[] });

describe("CLIP's tokenizer", () => {
	it('gives the ids of transformers.CLIPTokenizer on every fixture string', () => {
		expect(fixture.length).toBeGreaterThanOrEqual(300);
		const wrong = fixture.filter(
			(f) => JSON.stringify(clipTokenIds(f.text)) !== JSON.stringify(f.ids)
		);
		expect(wrong.map((w) => w.text)).toEqual([]);
	});

	it('shows where a caption over 77 tokens is cut', () => {
		const long = `a sks dog ${'on a blue velvet sofa next to a red striped cushion '.repeat(8)}`;
		const b = tokenBudget(long);
		expect(b.over).toBe(true);
		expect(b.count).toBe(clipTokenIds(long).length);
		expect(`${b.kept} ${b.cut}`.replace(/\s+/g, ' ')).toBe(long.trim().replace(/\s+/g, ' '));
		expect(tokenBudget('a sks dog').over).toBe(false);
		expect(lintCaption(long, { identifier: 'sks', classNoun: 'dog', kind: 'live' })).toContainEqual(
			expect.objectContaining({ code: 'too-long' })
		);
	});

	it('refuses an identifier it splits, or one inside another word, naming the word', () => {
		expect(identifierPieces('sks')).toEqual(['sks']);
		expect(identifierPieces('xyzzyq').length).toBeGreaterThan(1);
		expect(identifierFlags('a sks dog next to two desks', 'sks')).toEqual([
			expect.objectContaining({
				code: 'identifier-inside-word',
				message: expect.stringContaining('"desks"')
			})
		]);
		expect(identifierFlags('a sks dog on a rug', 'sks')).toEqual([]);
	});

	it('refuses a new subject whose identifier CLIP splits', () => {
		const split = subjectInput.safeParse({ name: 'x', classNoun: 'dog', identifier: 'zwx' });
		expect(split.success).toBe(false);
		expect(split.error?.issues[0].message).toContain('splits "zwx" into "z" + "wx"');
		expect(subjectInput.safeParse({ name: 'x', classNoun: 'dog', identifier: 'sks' }).success).toBe(
			true
		);
	});
});
