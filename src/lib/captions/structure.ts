/**
 * One reviewed structure per reference image, four description cases composed from it (the
 * paper's Tab. 1). The VLM is asked once for the structure; every case is built here, so after
 * any edit cases 2-4 still describe the same image in the same words and differ only in the
 * level of detail: case 2 names the undesired objects by class, case 3 (the SID) gives their
 * informative specifications, case 4 adds the subject's own description to case 3.
 *
 * Pure and shared with the review page, which previews the cases while the annotator types.
 */

/** An undesired object (or the background): how it relates to the subject, its class, its details. */
export interface DescribedPart {
	/** Words linking it to the subject: "sitting on", "next to", "in front of". */
	relation: string;
	/** The class name with its article, no details: "a sofa" (case 2). */
	name: string;
	/** The informative specification, a noun phrase: "a blue velvet sofa with brass legs" (case 3). */
	details: string;
}

export interface SidStructure {
	objects: DescribedPart[];
	background: DescribedPart | null;
	/** The subject's own description, a phrase that can follow "a [v] [class]" (case 4 only). */
	subject: string;
}

export interface CaseNaming {
	identifier: string;
	classNoun: string;
	kind: 'object' | 'live' | 'style';
}

/** Case 1: "a [v] [class]", or the C.1 phrase for style subjects. */
export function baselineCaption(s: CaseNaming): string {
	if (s.kind === 'style') return `A ${s.classNoun} in the style of ${s.identifier} art.`;
	return `a ${s.identifier} ${s.classNoun}`;
}

/** The opening every composed case shares (no final period for style: the sentence goes on). */
function opening(s: CaseNaming): string {
	return baselineCaption(s).replace(/\.$/, '');
}

const tidy = (t: string) => t.replace(/\s+/g, ' ').trim();

function parts(st: SidStructure, level: 'name' | 'details'): string[] {
	const all = [...st.objects, ...(st.background ? [st.background] : [])];
	return all.map((p) => tidy(`${p.relation} ${p[level] || p.name}`)).filter((p) => p.length > 0);
}

function join(head: string, rest: string[]): string {
	return tidy(rest.length ? `${head} ${rest.join(', ')}` : head);
}

export type CaseNumber = 1 | 2 | 3 | 4;

/** All four cases of one image from its structure. */
export function composeCases(st: SidStructure, s: CaseNaming): Record<CaseNumber, string> {
	const subject = tidy(st.subject);
	const three = parts(st, 'details');
	return {
		1: baselineCaption(s),
		2: join(opening(s), parts(st, 'name')),
		3: join(opening(s), three),
		4: join(subject ? `${opening(s)} ${subject}${three.length ? ',' : ''}` : opening(s), three)
	};
}

/** A structure with nothing in it, for images drafted before structures existed. */
export function emptyStructure(): SidStructure {
	return { objects: [], background: null, subject: '' };
}
