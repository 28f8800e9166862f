/** JSON Lines: one JSON object per line, UTF-8, LF-terminated (jsonlines.org). */
import { batch } from './stream';

/**
 * Dates become ISO strings and non-finite numbers become null (JSON has no
 * NaN). JSON.stringify escapes U+2028/U+2029 and control characters, so a
 * value can never break a line.
 */
export function jsonLine(value: unknown): string {
	return (
		JSON.stringify(value, (_key, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)) +
		'\n'
	);
}

export async function* jsonLines<T>(
	rows: AsyncIterable<T>,
	project: (row: T) => Record<string, unknown> = (r) => r as Record<string, unknown>
): AsyncGenerator<string> {
	async function* lines() {
		for await (const row of rows) yield jsonLine(project(row));
	}
	yield* batch(lines());
}
