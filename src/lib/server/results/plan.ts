/** The sample-size planner's page data: pilot estimates per question and, when asked, a power curve. */
import type { Db } from '../db';
import type { Study } from '../db/schema';
import {
	participantsFor,
	pilotInputs,
	powerCurve,
	type PlanInputs,
	type PowerPoint
} from '../analysis/planner';
import { applyExclusions, DEFAULT_RULES, loadParticipants } from './answers';
import { studyMethodRefs } from '.';
import { loadTallies } from './tallies';
import { sql } from 'drizzle-orm';
import { queryRows } from '../db';

export const PLAN_SIZES = [5, 10, 20, 30, 50, 75, 100, 150, 200];

export interface PlanPage {
	items: number;
	perParticipant: number;
	pilot: { question: string; participants: number; inputs: PlanInputs | null }[];
	curve: {
		question: string;
		inputs: PlanInputs;
		points: PowerPoint[];
		for80: number | null;
		for90: number | null;
	} | null;
}

export async function pilotPlan(
	db: Db,
	study: Study,
	stated: { question: string; share: number; sdParticipant: number; sdItem: number } | null
): Promise<PlanPage> {
	const [refs, participants, [{ n }]] = await Promise.all([
		studyMethodRefs(db, study.id),
		loadParticipants(db, study.id),
		queryRows<{ n: number }>(
			db,
			sql`select count(*)::int as n from items where study_id = ${study.id}::uuid`
		)
	]);
	const items = Math.max(1, n);
	const perParticipant = Math.min(study.subjectsPerParticipant, items);
	const questions = study.questions.map((q) => q.key);
	const { excluded } = applyExclusions(participants, DEFAULT_RULES);
	const tallies =
		refs.length >= 2
			? (
					await loadTallies(
						db,
						study.id,
						questions,
						{ a: refs[0].id, b: refs[1].id },
						excluded,
						new Map(participants.map((p) => [p.id, p.pseudonym]))
					)
				).questions
			: [];
	const pilot = questions.map((question) => {
		const t = tallies.find((x) => x.question === question);
		return {
			question,
			participants: t?.participants.length ?? 0,
			inputs: t ? pilotInputs(t, items, perParticipant) : null
		};
	});
	if (!stated) return { items, perParticipant, pilot, curve: null };
	const base = pilot.find((p) => p.question === stated.question)?.inputs;
	const inputs: PlanInputs = {
		share: stated.share,
		sdParticipant: stated.sdParticipant,
		sdItem: stated.sdItem,
		items,
		perParticipant,
		undecided: base?.undecided ?? 0.15
	};
	const points = powerCurve(inputs, PLAN_SIZES, { sims: 80 });
	return {
		items,
		perParticipant,
		pilot,
		curve: {
			question: stated.question,
			inputs,
			points,
			for80: participantsFor(points, 0.8),
			for90: participantsFor(points, 0.9)
		}
	};
}
