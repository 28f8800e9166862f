/** Automatic metrics of the study's runs next to the human judgement (the paper's Fig. 8). */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db';
import type { Drilldown, MethodRef } from './summary';

/** Which run metric measures what each question asks (paper Sec. 4 and Appendix B). */
export const METRIC_FOR_QUESTION: Record<string, string> = {
	subject: 'subject_alignment',
	disentanglement: 'non_subject_disentanglement',
	text: 'text_alignment'
};

export interface RunMetric {
	methodId: string;
	subjectId: string;
	metrics: Record<string, number | null>;
}

export async function loadRunMetrics(db: Db, studyId: string): Promise<RunMetric[]> {
	return queryRows<RunMetric>(
		db,
		sql`select distinct on (r.method_id, r.subject_id)
			r.method_id as "methodId", r.subject_id as "subjectId", r.metrics
		from runs r
		join study_methods sm on sm.method_id = r.method_id and sm.study_id = ${studyId}::uuid
		where r.metrics is not null
			and r.subject_id in (select subject_id from items where study_id = ${studyId}::uuid)
		order by r.method_id, r.subject_id, r.finished_at desc nulls last, r.created_at desc`
	);
}

export interface MethodMetrics {
	methodId: string;
	name: string;
	/** Mean over the study's subjects of each metric. */
	means: Record<string, number>;
	subjects: number;
}

export interface SubjectAgreement {
	subjectId: string;
	subjectName: string;
	question: string;
	metric: string;
	/** metric(b) − metric(a) */
	metricDiff: number;
	/** Share of decided answers for b minus one half; null when nobody decided. */
	humanLean: number | null;
	/** Whether human preference and metric difference point the same way (null if either is 0/undefined). */
	agrees: boolean | null;
}

export function methodMetrics(
	methods: readonly MethodRef[],
	rows: readonly RunMetric[]
): MethodMetrics[] {
	return methods.map((m) => {
		const mine = rows.filter((r) => r.methodId === m.id);
		const sums: Record<string, { s: number; n: number }> = {};
		for (const r of mine) {
			for (const [k, v] of Object.entries(r.metrics ?? {})) {
				if (typeof v !== 'number' || !Number.isFinite(v)) continue;
				const acc = (sums[k] ??= { s: 0, n: 0 });
				acc.s += v;
				acc.n++;
			}
		}
		const means = Object.fromEntries(Object.entries(sums).map(([k, { s, n }]) => [k, s / n]));
		return { methodId: m.id, name: m.name, means, subjects: mine.length };
	});
}

export function subjectAgreement(
	a: MethodRef,
	b: MethodRef,
	bySubject: readonly Drilldown[],
	rows: readonly RunMetric[]
): SubjectAgreement[] {
	const metric = (methodId: string, subjectId: string, key: string) => {
		const v = rows.find((r) => r.methodId === methodId && r.subjectId === subjectId)?.metrics?.[
			key
		];
		return typeof v === 'number' && Number.isFinite(v) ? v : null;
	};
	const out: SubjectAgreement[] = [];
	for (const s of bySubject) {
		for (const [question, key] of Object.entries(METRIC_FOR_QUESTION)) {
			const ma = metric(a.id, s.key, key);
			const mb = metric(b.id, s.key, key);
			const c = s.counts[question];
			if (ma === null || mb === null || !c) continue;
			const decided = c.a + c.b;
			const humanLean = decided > 0 ? c.b / decided - 0.5 : null;
			const metricDiff = mb - ma;
			out.push({
				subjectId: s.key,
				subjectName: s.label,
				question,
				metric: key,
				metricDiff,
				humanLean,
				agrees:
					humanLean === null || humanLean === 0 || metricDiff === 0
						? null
						: Math.sign(humanLean) === Math.sign(metricDiff)
			});
		}
	}
	return out;
}
