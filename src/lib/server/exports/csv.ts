/** RFC 4180 CSV with spreadsheet formula injection neutralised. */
import { batch } from './stream';

export type CellValue = string | number | boolean | null | undefined | Date;

/**
 * Characters that make Excel, LibreOffice or Google Sheets treat a cell as
 * a formula (OWASP "CSV injection"). Tab and CR are on the list because
 * some importers strip them and then see the next character.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One field: strings that could start a formula get a leading apostrophe
 * (the spreadsheet convention for "text"); then any field containing a
 * comma, quote, CR or LF is wrapped in quotes with inner quotes doubled.
 * Numbers are written as numbers, never neutralised: "-0.25" stays a number
 * for R and pandas. null/undefined are empty fields.
 */
export function csvCell(value: CellValue): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	let s = value instanceof Date ? value.toISOString() : value;
	if (FORMULA_START.test(s)) s = `'${s}`;
	return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One record, CRLF-terminated as RFC 4180 asks. */
export function csvRow(values: readonly CellValue[]): string {
	return values.map(csvCell).join(',') + '\r\n';
}

/** A header line then one line per row, in ~64 KiB chunks. */
export async function* csvLines<T>(
	columns: readonly { name: string; value: (row: T) => CellValue }[],
	rows: AsyncIterable<T>
): AsyncGenerator<string> {
	async function* lines() {
		yield csvRow(columns.map((c) => c.name));
		for await (const row of rows) yield csvRow(columns.map((c) => c.value(row)));
	}
	yield* batch(lines());
}
