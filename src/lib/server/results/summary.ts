/** Everything the results page shows, computed from the tallies of the kept answers. */
import { bradleyTerryWithIntervals, type Comparison } from '../analysis/bradley-terry';
import type { RankedMethod } from '../analysis/bradley-terry';
import { summarizeStudy, type QuestionSummary } from '../analysis/preferences';
import type { ExclusionCounts, ExclusionReason, ParticipantRow } from './answers';
import type { Drilldown, StudyTallies } from './tallies';

export type { Drilldown, GroupCounts } from './tallies';

export interface MethodRef {
	id: string;
	name: string;
	position: number;
}

export interface ResultsSummary {
	methods: MethodRef[];
	table: QuestionSummary[];
	bySubject: Drilldown[];
	byPrompt: Drilldown[];
	byParticipant: (Drilldown & { excluded: ExclusionReason[] })[];
	ranking: (RankedMethod & { name: string })[] | null;
	counts: ExclusionCounts;
}

export function summarize(
	methods: readonly MethodRef[],
	tallies: StudyTallies,
	overall: readonly (readonly Comparison[])[] | null,
	counts: ExclusionCounts,
	participants: readonly ParticipantRow[],
	reasonsOf: (p: ParticipantRow) => ExclusionReason[],
	bootstrapSeed?: number
): ResultsSummary {
	const byId = new Map(participants.map((p) => [p.id, p]));
	return {
		methods: [...methods],
		table: summarizeStudy(tallies.questions, { seed: bootstrapSeed }),
		bySubject: tallies.bySubject,
		byPrompt: tallies.byPrompt,
		byParticipant: tallies.byParticipant.map((d) => ({
			...d,
			excluded: reasonsOf(byId.get(d.key)!)
		})),
		ranking:
			methods.length > 2 && overall
				? bradleyTerryWithIntervals(methods.length, overall).map((r) => ({
						...r,
						name: methods[r.index].name
					}))
				: null,
		counts
	};
}
