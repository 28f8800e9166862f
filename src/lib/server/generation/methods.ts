import { and, asc, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { methods, type Method } from '../db/schema';
import { TRAINERS } from './payload';

/** The paper's comparison: the same DreamBooth recipe, trained on case-1 vs case-3 (SID) captions. */
export const BASELINE_METHOD = 'DreamBooth';
export const SID_METHOD = 'DreamBooth + SID';

const DEFAULTS = [
	{
		name: BASELINE_METHOD,
		trainer: 'dreambooth',
		descriptionCase: 1,
		description: 'Baseline: every reference image captioned "a [v] [class]" (case 1).'
	},
	{
		name: SID_METHOD,
		trainer: 'dreambooth',
		descriptionCase: 3,
		description: "Each image trained with its approved SID caption (the paper's case 3)."
	},
	{
		name: 'Textual Inversion',
		trainer: 'textual_inversion',
		descriptionCase: 1,
		description: 'Learns only the identifier embedding, case-1 captions.'
	}
];

/**
 * Idempotent. A row someone configured is left as it is; a row that another area created
 * by name only (empty description, column defaults: case 1) gets the recipe its name means,
 * so "DreamBooth + SID" never silently trains on case-1 captions.
 */
export async function ensureDefaultMethods(db: Db): Promise<void> {
	await db
		.insert(methods)
		.values(DEFAULTS)
		.onConflictDoUpdate({
			target: methods.name,
			set: {
				trainer: sql`excluded.trainer`,
				descriptionCase: sql`excluded.description_case`,
				description: sql`excluded.description`
			},
			setWhere: sql`${methods.description} = ''`
		});
}

/**
 * Methods a GPU worker can train (imported methods have other trainers). A row created by
 * name only before names were marked as imported (empty description) is left out too: its
 * caption case was never chosen.
 */
export async function listGpuMethods(db: Db): Promise<Method[]> {
	await ensureDefaultMethods(db);
	return db
		.select()
		.from(methods)
		.where(and(inArray(methods.trainer, [...TRAINERS]), ne(methods.description, '')))
		.orderBy(asc(methods.createdAt), asc(methods.name));
}
