import { and, asc, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { methods, type Method } from '../db/schema';
import { TRAINERS, TRAINER_LABELS, type Trainer } from '$lib/generation/hyperparameters';

/** The paper's comparison: the same DreamBooth recipe, trained on case-1 vs case-3 (SID) captions. */
export const BASELINE_METHOD = 'DreamBooth';
export const SID_METHOD = 'DreamBooth + SID';

/** What each recipe trains, for the method descriptions. */
const TRAINS: Record<Trainer, string> = {
	dreambooth: 'the UNet and text encoder, with prior preservation',
	textual_inversion: 'only the identifier embedding',
	custom_diffusion: 'cross-attention K/V and the modifier token, with prior preservation',
	svdiff: 'spectral shifts of the weights, with prior preservation',
	lora: 'low-rank updates of the UNet attention'
};

/**
 * Every recipe twice, as in the paper (Sec. 6): on case-1 captions "a [v] [class]", and on
 * the approved SID captions (case 3). DreamBooth keeps its historical names.
 */
const DEFAULTS = TRAINERS.flatMap((trainer) => {
	const label = trainer === 'dreambooth' ? BASELINE_METHOD : TRAINER_LABELS[trainer];
	return [
		{
			name: label,
			trainer,
			descriptionCase: 1,
			description: `${TRAINER_LABELS[trainer]}: trains ${TRAINS[trainer]}; every reference image captioned "a [v] [class]" (case 1).`
		},
		{
			name: `${label} + SID`,
			trainer,
			descriptionCase: 3,
			description: `${TRAINER_LABELS[trainer]}: trains ${TRAINS[trainer]}; each image with its approved SID caption (the paper's case 3).`
		}
	];
});

/**
 * Idempotent. A row someone configured is left as it is; a row that another area created
 * by name only (empty description, no case) gets the recipe its name means,
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
			setWhere: sql`${methods.description} = '' or ${methods.descriptionCase} is null`
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
