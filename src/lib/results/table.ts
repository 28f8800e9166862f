/** The paper's Table B.2 layout: one row per method plus "Undecided", one column per question. */
import type { StudyResults } from '$lib/server/results';
import { pct } from './format';

export interface TableB2 {
	columns: { key: string; label: string; n: number }[];
	rows: { label: string; cells: string[] }[];
}

export const QUESTION_LABELS: Record<string, string> = {
	subject: 'Subject-alignment',
	disentanglement: 'Non-subject-disentanglement',
	text: 'Text-alignment',
	overall: 'Overall'
};

export function tableB2(r: Pick<StudyResults, 'table' | 'methods'>): TableB2 {
	const [a, b] = [...r.methods].sort((x, y) => x.position - y.position);
	return {
		columns: r.table.map((q) => ({
			key: q.question,
			label: QUESTION_LABELS[q.question] ?? q.question,
			n: q.n
		})),
		rows: [
			{ label: a?.name ?? 'Method A', cells: r.table.map((q) => pct(q.a.estimate)) },
			{ label: b?.name ?? 'Method B', cells: r.table.map((q) => pct(q.b.estimate)) },
			{ label: 'Undecided', cells: r.table.map((q) => pct(q.undecided.estimate)) }
		]
	};
}
