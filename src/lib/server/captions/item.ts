import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { users, vlmInstructions } from '../db/schema';
import { PRESET_TITLES } from '../vlm/instructions';
import { tokenBudget } from './clip-tokenizer';
import { identifierFlags } from './lint';
import type { TokenBudget } from '../../captions/tokens';
import { baselineCaption } from './descriptions';
import { captionHistoryOf, finalCaption, getCaption, imageWithSubject } from './store';
import { captionProgress } from './training';

/** Everything the review screen shows for one reference image. */
export async function reviewItem(db: Db, referenceImageId: string) {
	const found = await imageWithSubject(db, referenceImageId);
	if (!found) return null;
	const { image, subject } = found;
	const caption = await getCaption(db, referenceImageId);
	const history = await captionHistoryOf(db, referenceImageId);
	const people = new Map(
		(await db.select({ id: users.id, name: users.displayName }).from(users)).map((u) => [
			u.id,
			u.name
		])
	);
	const expression = caption?.expression ?? null;
	const [instruction] = caption?.instructionId
		? await db
				.select({ purpose: vlmInstructions.purpose, version: vlmInstructions.version })
				.from(vlmInstructions)
				.where(eq(vlmInstructions.id, caption.instructionId))
		: [];
	const cases = {
		1: baselineCaption(subject),
		2: finalCaption(caption?.caseTwo ?? null, expression, subject),
		3: finalCaption(caption?.sid ?? null, expression, subject),
		4: finalCaption(caption?.caseFour ?? null, expression, subject)
	};
	const texts = Object.values(cases).filter((t): t is string => !!t);
	return {
		image,
		subject,
		caption,
		/** Where CLIP cuts each case, shown before anyone approves it. */
		tokens: Object.fromEntries(
			Object.entries(cases).map(([n, t]) => [n, t ? tokenBudget(t) : null])
		) as Record<1 | 2 | 3 | 4, TokenBudget | null>,
		/** [v] split by the tokenizer or hidden inside another word of any case. */
		collisions: [
			...new Set(texts.flatMap((t) => identifierFlags(t, subject.identifier)).map((f) => f.message))
		],
		/** The preset and version the draft was written with, as the draft recorded it. */
		preset: instruction
			? { title: PRESET_TITLES[instruction.purpose], version: instruction.version }
			: null,
		cases,
		progress: await captionProgress(db, subject.id),
		history: history.map((h) => ({
			...h,
			who:
				h.source === 'model'
					? `model ${h.model ?? ''}`.trim()
					: (people.get(h.userId ?? '') ?? 'someone')
		})),
		holder: caption?.leaseUserId ? (people.get(caption.leaseUserId) ?? null) : null
	};
}

export async function displayName(db: Db, userId: string): Promise<string> {
	const [u] = await db.select({ name: users.displayName }).from(users).where(eq(users.id, userId));
	return u?.name ?? 'someone';
}
