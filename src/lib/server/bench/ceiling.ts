import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { hotRows, type Db } from '../db';
import { config } from '../config';
import { refuse } from '../http/refusal';

/**
 * The two reference endpoints of bench/ceiling.ts: what the framework alone (`trivial`) and
 * the framework plus one prepared `INSERT … ON CONFLICT DO NOTHING` through the app's pool (`insert`)
 * sustain, to compare the answer path with. They exist only while BENCH_ENDPOINTS=on, which
 * the bench sets; otherwise they answer 404 like any unknown address. The table is created by
 * the bench in its own scratch database, never by a migration.
 */
export const probeInput = z.object({ id: z.uuid() });
export type ProbeInput = z.infer<typeof probeInput>;

export function requireBenchEndpoints(): void {
	if (config().BENCH_ENDPOINTS !== 'on') refuse(404, 'Not found');
}

export async function runProbe(
	db: Db,
	probe: string,
	input: ProbeInput
): Promise<{ id: string; stored?: boolean }> {
	if (probe === 'trivial') return { id: input.id };
	if (probe !== 'insert') refuse(404, 'Not found');
	// Prepared, as the answer path's statement is (`hotRows`): the same way to the database.
	const rows = await hotRows<{ id: string }>(
		db,
		sql`insert into bench_ceiling (id) values (${input.id}::uuid) on conflict do nothing returning id`
	);
	return { id: input.id, stored: rows.length === 1 };
}
