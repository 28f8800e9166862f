/**
 * The preregistration snapshot: when a study first opens, its whole
 * configuration (questions, methods, items, quality settings, exclusion
 * rules, the analysis) is frozen with the sha256 of its canonical JSON. The
 * results page and every export show the hash, so a reader can check that the
 * analysis reported is the one fixed before the data came in.
 */
import { createHash } from 'node:crypto';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db';
import { items, studies, type Study } from '../db/schema';
import { DEFAULT_RULES } from '../results/answers';
import { studyMethodList } from './studies';

/** What the results page computes, named so a change of analysis changes the hash. */
export const ANALYSIS_PLAN = {
	headline:
		'per question, B vs A among decided answers: p = max(sign-flip test by participant, by item), Holm across questions; 95% two-way (participant x item) cluster-robust interval',
	alpha: 0.05,
	version: 1
} as const;

/** JSON with object keys sorted at every level: one text per configuration. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, v]) => v !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
	}
	return JSON.stringify(value);
}

export const snapshotHash = (snapshot: unknown) =>
	createHash('sha256').update(canonicalJson(snapshot)).digest('hex');

export async function buildSnapshot(db: Db, study: Study): Promise<Record<string, unknown>> {
	const methods = await studyMethodList(db, study.id);
	const rows = await db
		.select({
			id: items.id,
			subjectId: items.subjectId,
			prompt: items.prompt,
			sampleA: items.sampleAId,
			sampleB: items.sampleBId
		})
		.from(items)
		.where(eq(items.studyId, study.id))
		.orderBy(asc(items.id));
	return {
		study: { id: study.id, slug: study.slug, title: study.title },
		questions: study.questions,
		methods: methods.map((m) => ({ name: m.name, position: m.position })),
		items: rows,
		subjectsPerParticipant: study.subjectsPerParticipant,
		targetCompletions: study.targetCompletions,
		quality: {
			speederMsPerQuestion: study.speederMsPerQuestion,
			attentionCheck: study.attentionCheck,
			attentionChecks: study.attentionChecks,
			attentionAnswer: study.attentionAnswer
		},
		exclusionRules: DEFAULT_RULES,
		analysis: ANALYSIS_PLAN
	};
}

/** Freezes the snapshot the first time the study opens; later openings keep the first one. */
export async function freezePreregistration(db: Db, study: Study): Promise<string> {
	if (study.preregistrationHash) return study.preregistrationHash;
	const snapshot = { ...(await buildSnapshot(db, study)), frozenAt: new Date().toISOString() };
	const hash = snapshotHash(snapshot);
	const [row] = await db
		.update(studies)
		.set({ preregistration: snapshot, preregistrationHash: hash })
		.where(and(eq(studies.id, study.id), isNull(studies.preregistrationHash)))
		.returning({ hash: studies.preregistrationHash });
	if (row?.hash) return row.hash;
	const [again] = await db
		.select({ hash: studies.preregistrationHash })
		.from(studies)
		.where(eq(studies.id, study.id));
	return again.hash!;
}
