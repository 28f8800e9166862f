/**
 * Human names of the paper's four description cases (Tab. 1) and of the caption fields that
 * hold them. Pages show these instead of the column names (`caseTwo`, `caseFour`), so one
 * word means one thing everywhere: the review history, exports, the method pickers.
 */

export type CaseNumber = 1 | 2 | 3 | 4;

export interface CaseName {
	/** "Baseline", "Object classes", "SID", "Subject described". */
	name: string;
	/** One line for a person choosing between them. */
	description: string;
}

export const DESCRIPTION_CASES: Record<CaseNumber, CaseName> = {
	1: { name: 'Baseline', description: 'every image captioned “a [v] [class]”' },
	2: { name: 'Object classes', description: 'adds the class names of the undesired objects' },
	3: { name: 'SID', description: 'adds the informative details of the undesired objects' },
	4: { name: 'Subject described', description: 'SID that also describes the subject' }
};

export function isCaseNumber(c: number | null): c is CaseNumber {
	return c === 1 || c === 2 || c === 3 || c === 4;
}

/** "Case 3 · SID"; an unknown number or a method without a case says so instead of guessing. */
export function caseLabel(c: number | null): string {
	if (c === null) return 'no case set';
	return isCaseNumber(c) ? `Case ${c} · ${DESCRIPTION_CASES[c].name}` : `Case ${c} (unknown)`;
}

/** The caption row's fields as a person reads them. */
export const CAPTION_FIELD_NAMES: Record<string, string> = {
	caseTwo: 'Case 2 · Object classes',
	sid: 'Case 3 · SID',
	caseFour: 'Case 4 · Subject described',
	expression: 'Facial expression',
	status: 'Status',
	structure: 'Structure',
	approvedCases: 'Cases 2 and 4 approved'
};

export function captionFieldName(field: string): string {
	return CAPTION_FIELD_NAMES[field] ?? field;
}
