/** The results of one study, as the results page and its JSON endpoint serve them. */
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { methods, studyMethods, type Study } from '../db/schema';
import {
	applyExclusions,
	exclusionReasons,
	loadParticipants,
	type ExclusionRules
} from './answers';
import {
	loadRunMetrics,
	methodMetrics,
	subjectAgreement,
	type MethodMetrics,
	type SubjectAgreement
} from './metrics';
import { summarize, type MethodRef, type ResultsSummary } from './summary';
import { loadOverallComparisons, loadTallies, noTallies } from './tallies';
import { timelineOf, type Timeline } from '../../results/timeline';
import { methodPairs, summarizePairs, type PairSummary } from '../analysis/pairs';

export {
	DEFAULT_RULES,
	exclusionRules,
	rulesFromSearch,
	rulesToSearch,
	type ExclusionRules
} from './answers';

export interface StudyResults extends ResultsSummary {
	study: {
		id: string;
		title: string;
		slug: string;
		questions: { key: string; text: string }[];
		/** sha256 of the configuration frozen when the study first opened; null before. */
		preregistrationHash: string | null;
		preregisteredAt: string | null;
	};
	rules: ExclusionRules;
	timeline: Timeline;
	/** How many kept participants `byParticipant` would list; the page gets the first PAGE_PARTICIPANTS. */
	participantRows: number;
	metrics: MethodMetrics[];
	agreement: SubjectAgreement[];
	/**
	 * Studies of three or more methods: Table B.2 and the headline statistics of every pair,
	 * each from that pair's items only; empty for two methods (`table` is that pair).
	 */
	pairs: PairSummary<MethodRef>[];
}

export const PAGE_PARTICIPANTS = 200;

export async function studyMethodRefs(db: Db, studyId: string): Promise<MethodRef[]> {
	return db
		.select({ id: methods.id, name: methods.name, position: studyMethods.position })
		.from(studyMethods)
		.innerJoin(methods, eq(methods.id, studyMethods.methodId))
		.where(eq(studyMethods.studyId, studyId))
		.orderBy(asc(studyMethods.position));
}

export async function studyResults(
	db: Db,
	study: Study,
	rules: ExclusionRules
): Promise<StudyResults> {
	const [refs, participants, runMetrics] = await Promise.all([
		studyMethodRefs(db, study.id),
		loadParticipants(db, study.id),
		loadRunMetrics(db, study.id)
	]);
	const { keptParticipants, excluded, counts } = applyExclusions(participants, rules);
	const questions = study.questions.map((q) => q.key);
	const pseudonyms = new Map(participants.map((p) => [p.id, p.pseudonym]));
	// Every pair's tallies go through the one query and the one summary a two-method study uses;
	// the first pair's tallies also feed the drill-downs and per-subject charts.
	const pairs = methodPairs(refs);
	const [pairTallies, overall] = await Promise.all([
		Promise.all(
			pairs.map(([ma, mb]) =>
				loadTallies(db, study.id, questions, { a: ma.id, b: mb.id }, excluded, pseudonyms)
			)
		),
		refs.length > 2
			? loadOverallComparisons(
					db,
					study.id,
					refs.map((m) => m.id),
					excluded
				)
			: null
	]);
	const tallies = pairTallies[0] ?? noTallies(questions);
	const summary = summarize(refs, tallies, overall, counts, participants, (p) =>
		exclusionReasons(p, rules)
	);
	return {
		...summary,
		study: {
			id: study.id,
			title: study.title,
			slug: study.slug,
			questions: study.questions,
			preregistrationHash: study.preregistrationHash,
			preregisteredAt: (study.preregistration?.frozenAt as string | undefined) ?? null
		},
		rules,
		// Both are bounded so a 25,000-participant study's page stays small: the chart's steps
		// are counted here, and the per-participant drill-down lists its first rows (every
		// participant's answers are in the export).
		byParticipant: summary.byParticipant.slice(0, PAGE_PARTICIPANTS),
		participantRows: summary.byParticipant.length,
		timeline: timelineOf(
			participants
				.filter((p) => !p.preview && p.startedAt)
				.map((p) => ({ ...p, kept: keptParticipants.has(p.id) }))
		),
		metrics: methodMetrics(refs, runMetrics),
		agreement:
			refs.length >= 2 ? subjectAgreement(refs[0], refs[1], summary.bySubject, runMetrics) : [],
		pairs:
			refs.length > 2
				? summarizePairs(
						pairs.map((methods, i) => ({ methods, tallies: pairTallies[i].questions }))
					)
				: []
	};
}
