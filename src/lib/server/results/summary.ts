/** Everything the results page shows, computed from the kept answers. */
import { bradleyTerryWithIntervals, type Comparison } from '../analysis/bradley-terry';
import type { RankedMethod } from '../analysis/bradley-terry';
import { summarizeStudy, type PairAnswer, type QuestionSummary } from '../analysis/preferences';
import type { AnswerRow, ExclusionCounts, ExclusionReason, ParticipantRow } from './answers';

export interface MethodRef {
	id: string;
	name: string;
	position: number;
}

/** Counts of one group (a subject, a prompt, a participant) for one question. */
export interface GroupCounts {
	a: number;
	b: number;
	undecided: number;
}

export interface Drilldown {
	key: string;
	label: string;
	/** question key -> counts */
	counts: Record<string, GroupCounts>;
}

/** Maps one stored answer onto the pair (a = position 0, b = position 1) of a two-method study. */
export function toPairAnswer(x: AnswerRow, a: string, b: string): PairAnswer | null {
	const pair = new Set([x.leftMethodId, x.rightMethodId]);
	if (!pair.has(a) || !pair.has(b)) return null;
	if (x.choice === 'undecided')
		return {
			participant: x.participantId,
			unit: x.itemId,
			question: x.question,
			choice: 'undecided',
			side: null
		};
	return {
		participant: x.participantId,
		unit: x.itemId,
		question: x.question,
		choice: x.chosenMethodId === a ? 'a' : 'b',
		side: x.choice
	};
}

/** Per subject / prompt / participant counts of the same pair. */
export function drilldown(
	answers: readonly PairAnswer[],
	source: readonly AnswerRow[],
	keyOf: (row: AnswerRow) => [string, string]
): Drilldown[] {
	const groups = new Map<string, Drilldown>();
	answers.forEach((x, i) => {
		const [key, label] = keyOf(source[i]);
		const g = groups.get(key) ?? { key, label, counts: {} };
		groups.set(key, g);
		const c = (g.counts[x.question] ??= { a: 0, b: 0, undecided: 0 });
		c[x.choice]++;
	});
	return [...groups.values()].sort((x, y) => x.label.localeCompare(y.label));
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
	questions: readonly string[],
	kept: readonly AnswerRow[],
	counts: ExclusionCounts,
	participants: readonly ParticipantRow[],
	reasonsOf: (p: ParticipantRow) => ExclusionReason[],
	bootstrapSeed?: number
): ResultsSummary {
	const [ma, mb] = [...methods].sort((x, y) => x.position - y.position);
	const rows: AnswerRow[] = [];
	const pairs: PairAnswer[] = [];
	if (ma && mb) {
		for (const x of kept) {
			const p = toPairAnswer(x, ma.id, mb.id);
			if (p) {
				pairs.push(p);
				rows.push(x);
			}
		}
	}
	const pseudonyms = new Map(participants.map((p) => [p.id, p]));
	const byParticipant = drilldown(pairs, rows, (r) => [
		r.participantId,
		pseudonyms.get(r.participantId)?.pseudonym ?? r.participantId
	]).map((d) => ({ ...d, excluded: reasonsOf(pseudonyms.get(d.key)!) }));
	return {
		methods: [...methods],
		table: summarizeStudy(questions, pairs, { seed: bootstrapSeed }),
		bySubject: drilldown(pairs, rows, (r) => [r.subjectId, r.subjectName]),
		byPrompt: drilldown(pairs, rows, (r) => [
			`${r.subjectId}\u0000${r.prompt}`,
			`${r.subjectName}: ${r.prompt}`
		]),
		byParticipant,
		ranking: methods.length > 2 ? rank(methods, kept) : null,
		counts
	};
}

/** Bradley-Terry over every decided or undecided answer of the "overall" question. */
function rank(methods: readonly MethodRef[], kept: readonly AnswerRow[]) {
	const index = new Map(methods.map((m, i) => [m.id, i]));
	const perParticipant = new Map<string, Comparison[]>();
	for (const x of kept) {
		if (x.question !== 'overall') continue;
		const i = index.get(x.leftMethodId);
		const j = index.get(x.rightMethodId);
		if (i === undefined || j === undefined) continue;
		const winner = x.chosenMethodId === null ? null : (index.get(x.chosenMethodId) ?? null);
		const list = perParticipant.get(x.participantId) ?? [];
		list.push({ i, j, winner });
		perParticipant.set(x.participantId, list);
	}
	return bradleyTerryWithIntervals(methods.length, [...perParticipant.values()]).map((r) => ({
		...r,
		name: methods[r.index].name
	}));
}
