import { describe, expect, it } from 'vitest';
import { csvCell, csvLines, csvRow } from './csv';
import { jsonLine, jsonLines } from './jsonl';

async function collect(it: AsyncIterable<string>): Promise<string> {
	let s = '';
	for await (const c of it) s += c;
	return s;
}

async function* from<T>(rows: T[]) {
	yield* rows;
}

describe('csvCell', () => {
	it('quotes per RFC 4180 only when needed, doubling inner quotes', () => {
		expect(csvCell('plain')).toBe('plain');
		expect(csvCell('a, b')).toBe('"a, b"');
		expect(csvCell('say "hi"')).toBe('"say ""hi"""');
		expect(csvCell('two\nlines')).toBe('"two\nlines"');
		expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
		expect(csvCell('')).toBe('');
	});

	it('neutralises cells a spreadsheet would run as a formula', () => {
		expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
		expect(csvCell('+1')).toBe("'+1");
		expect(csvCell('-2+3')).toBe("'-2+3");
		expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
		expect(csvCell('\t=1')).toBe("'\t=1");
		expect(csvCell('\r=1')).toBe(`"'\r=1"`);
		expect(csvCell('a=b')).toBe('a=b');
	});

	it('writes numbers, booleans, dates and missing values plainly', () => {
		expect(csvCell(-0.25)).toBe('-0.25');
		expect(csvCell(12)).toBe('12');
		expect(csvCell(Number.NaN)).toBe('');
		expect(csvCell(true)).toBe('true');
		expect(csvCell(null)).toBe('');
		expect(csvCell(undefined)).toBe('');
		expect(csvCell(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)))).toBe('2024-01-02T03:04:05.000Z');
	});

	it('ends records with CRLF', () => {
		expect(csvRow(['a', 1, null])).toBe('a,1,\r\n');
	});
});

describe('csvLines', () => {
	it('streams a header and one record per row', async () => {
		const text = await collect(
			csvLines(
				[
					{ name: 'id', value: (r: { id: number; note: string }) => r.id },
					{ name: 'note', value: (r) => r.note }
				],
				from([
					{ id: 1, note: 'ok' },
					{ id: 2, note: '=cmd' }
				])
			)
		);
		expect(text).toBe("id,note\r\n1,ok\r\n2,'=cmd\r\n");
	});

	it('groups many rows into large chunks', async () => {
		const rows = Array.from({ length: 20_000 }, (_, i) => ({ i }));
		const chunks: string[] = [];
		for await (const c of csvLines([{ name: 'i', value: (r: { i: number }) => r.i }], from(rows)))
			chunks.push(c);
		expect(chunks.length).toBeGreaterThan(1);
		expect(chunks.length).toBeLessThan(10);
		expect(chunks.join('').split('\r\n').length).toBe(20_002);
	});
});

describe('jsonLines', () => {
	it('writes one parseable object per line, with dates as ISO and NaN as null', async () => {
		const text = await collect(
			jsonLines(from([{ a: 'line\u2028sep\nnl', d: new Date(0), x: Number.NaN }]))
		);
		expect(text.endsWith('\n')).toBe(true);
		expect(text.split('\n')).toHaveLength(2);
		expect(JSON.parse(text)).toEqual({
			a: 'line\u2028sep\nnl',
			d: '1970-01-01T00:00:00.000Z',
			x: null
		});
		expect(jsonLine({ b: 1 })).toBe('{"b":1}\n');
	});
});
