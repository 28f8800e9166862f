/** A study's participants and the exclusion rules that decide whose answers count. */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, type Db } from '../db';

/** How the admin chose to filter; preview sessions are always out and have no switch. */
export const exclusionRules = z.object({
	/** 'any': one failed check excludes; 'prolific': two or more (Prolific's rule); 'off'. */
	attention: z.enum(['off', 'any', 'prolific']).default('prolific'),
	speeders: z.boolean().default(true),
	incomplete: z.boolean().default(true)
});

const flag = z.enum(['0', '1']).transform((v) => v === '1');
const rulesQuery = z.object({
	attention: z.enum(['off', 'any', 'prolific']).default('prolific'),
	speeders: flag.default(true),
	incomplete: flag.default(true)
});

/** Rules from a query string such as ?attention=any&speeders=0; throws a ZodError on nonsense. */
export function rulesFromSearch(params: URLSearchParams): ExclusionRules {
	return rulesQuery.parse({
		attention: params.get('attention') ?? undefined,
		speeders: params.get('speeders') ?? undefined,
		incomplete: params.get('incomplete') ?? undefined
	});
}

export function rulesToSearch(r: ExclusionRules): string {
	return new URLSearchParams({
		attention: r.attention,
		speeders: r.speeders ? '1' : '0',
		incomplete: r.incomplete ? '1' : '0'
	}).toString();
}
export type ExclusionRules = z.infer<typeof exclusionRules>;
export const DEFAULT_RULES: ExclusionRules = {
	attention: 'prolific',
	speeders: true,
	incomplete: true
};

export interface ParticipantRow {
	id: string;
	pseudonym: string;
	preview: boolean;
	startedAt: string | null;
	completedAt: string | null;
	speeder: boolean | null;
	attentionFails: number;
	answers: number;
}

export type ExclusionReason = 'preview' | 'incomplete' | 'attention' | 'speeder';

/** Why a participant is out under the rules, or [] if in. A preview is never data, whatever else. */
export function exclusionReasons(p: ParticipantRow, rules: ExclusionRules): ExclusionReason[] {
	if (p.preview) return ['preview'];
	const out: ExclusionReason[] = [];
	if (rules.incomplete && !p.completedAt) out.push('incomplete');
	if (rules.attention === 'any' && p.attentionFails >= 1) out.push('attention');
	if (rules.attention === 'prolific' && p.attentionFails >= 2) out.push('attention');
	if (rules.speeders && p.speeder) out.push('speeder');
	return out;
}

/** Every participant of the study with their attention-check failures and answers counted. */
export async function loadParticipants(db: Db, studyId: string): Promise<ParticipantRow[]> {
	return queryRows<ParticipantRow>(
		db,
		sql`select p.id, p.pseudonym, p.preview,
			p.started_at as "startedAt", p.completed_at as "completedAt", p.speeder,
			coalesce(x.fails, 0)::int as "attentionFails", coalesce(x.answers, 0)::int as answers
		from participants p
		left join (
			select a.participant_id,
				count(*) filter (where r.question = 'attention' and r.choice <> s.attention_answer) as fails,
				count(*) filter (where r.question <> 'attention') as answers
			from responses r
			join assignments a on a.id = r.assignment_id
			join participants p2 on p2.id = a.participant_id
			join studies s on s.id = p2.study_id
			where p2.study_id = ${studyId}::uuid
			group by a.participant_id
		) x on x.participant_id = p.id
		where p.study_id = ${studyId}::uuid
		order by p.created_at, p.id`
	);
}

export interface ExclusionCounts {
	before: { participants: number; answers: number };
	after: { participants: number; answers: number };
	/** Participants out for each reason (one may have several). */
	byReason: Record<ExclusionReason, number>;
}

/**
 * Applies the rules to the participants: who is kept, who is left out (previews included:
 * the tallies skip these ids), and before/after counts of participants and their answers.
 */
export function applyExclusions(
	participants: readonly ParticipantRow[],
	rules: ExclusionRules
): { keptParticipants: Set<string>; excluded: string[]; counts: ExclusionCounts } {
	const byReason: Record<ExclusionReason, number> = {
		preview: 0,
		incomplete: 0,
		attention: 0,
		speeder: 0
	};
	const keptParticipants = new Set<string>();
	const excluded: string[] = [];
	const before = { participants: 0, answers: 0 };
	const after = { participants: 0, answers: 0 };
	for (const p of participants) {
		const reasons = exclusionReasons(p, rules);
		for (const r of reasons) byReason[r]++;
		// "Before" is every real session: previews were never data.
		if (!p.preview) {
			before.participants++;
			before.answers += p.answers;
		}
		if (reasons.length === 0) {
			keptParticipants.add(p.id);
			after.participants++;
			after.answers += p.answers;
		} else excluded.push(p.id);
	}
	return { keptParticipants, excluded, counts: { before, after, byReason } };
}
