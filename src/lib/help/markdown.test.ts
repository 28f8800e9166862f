import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown, safeExternal } from './markdown';

describe('the help Markdown reader', () => {
	it('reads the block kinds the docs use', () => {
		const blocks = parseMarkdown(
			[
				'# Importing images',
				'',
				'One paragraph',
				'on two lines.',
				'',
				'```json',
				'{ "images": [] }',
				'```',
				'',
				'| field | meaning |',
				'| --- | --- |',
				'| `file` | path \\| name |',
				'',
				'- first',
				'  continued',
				'- second',
				'',
				'2. two',
				'3. three',
				'> a note'
			].join('\n')
		);
		expect(blocks.map((b) => b.type)).toEqual([
			'heading',
			'paragraph',
			'code',
			'table',
			'list',
			'list',
			'quote'
		]);
		expect(blocks[0]).toMatchObject({ level: 1, id: 'importing-images' });
		expect(blocks[1]).toEqual({
			type: 'paragraph',
			children: [{ type: 'text', text: 'One paragraph on two lines.' }]
		});
		expect(blocks[2]).toEqual({ type: 'code', lang: 'json', text: '{ "images": [] }' });
		expect(blocks[3]).toMatchObject({
			head: [[{ type: 'text', text: 'field' }], [{ type: 'text', text: 'meaning' }]],
			rows: [[[{ type: 'code', text: 'file' }], [{ type: 'text', text: 'path | name' }]]]
		});
		expect(blocks[4]).toMatchObject({
			ordered: false,
			items: [[{ type: 'text', text: 'first continued' }], [{ type: 'text', text: 'second' }]]
		});
		expect(blocks[5]).toMatchObject({ ordered: true, start: 2 });
	});

	it('keeps markup as text: nothing in a document becomes HTML', () => {
		const blocks = parseMarkdown('<script>alert(1)</script> and <img src=x onerror=alert(1)>');
		expect(blocks).toEqual([
			{
				type: 'paragraph',
				children: [
					{ type: 'text', text: '<script>alert(1)</script> and <img src=x onerror=alert(1)>' }
				]
			}
		]);
	});

	it('keeps only safe links, and resolves the rest through the caller', () => {
		expect(parseInline('[x](javascript:alert%281%29)', safeExternal)).toEqual([
			{ type: 'text', text: 'x' }
		]);
		expect(
			parseInline('see [the API](WORKER_API.md) and <https://example.org/a>', (t) =>
				t === 'WORKER_API.md' ? '/admin/help/worker-api' : null
			)
		).toEqual([
			{ type: 'text', text: 'see ' },
			{
				type: 'link',
				href: '/admin/help/worker-api',
				children: [{ type: 'text', text: 'the API' }]
			},
			{ type: 'text', text: ' and ' },
			{
				type: 'link',
				href: 'https://example.org/a',
				children: [{ type: 'text', text: 'https://example.org/a' }]
			}
		]);
		expect(parseInline('**bold *and em* here** and `a*b*c`', safeExternal)).toEqual([
			{
				type: 'strong',
				children: [
					{ type: 'text', text: 'bold ' },
					{ type: 'em', children: [{ type: 'text', text: 'and em' }] },
					{ type: 'text', text: ' here' }
				]
			},
			{ type: 'text', text: ' and ' },
			{ type: 'code', text: 'a*b*c' }
		]);
	});
});
