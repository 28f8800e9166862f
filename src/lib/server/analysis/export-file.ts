/**
 * `npm run analyze`: the results page's figures recomputed from an exported
 * responses.csv (alone, or inside the study bundle), offline. The rows are
 * tallied exactly as the database tallies them and handed to the same
 * `summarizeStudy`, so the two can only differ if the export does.
 */
import { readZip } from '../archives/zip-reader';
import { methodPairs, summarizePairs, type PairSummary } from './pairs';
import { summarizeStudy, type QuestionSummary } from './preferences';
import { tallyAnswers, type PairAnswer } from './tally';

/** RFC 4180 records (CRLF or LF line ends, quoted fields with doubled quotes). */
export function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (c === '"') quoted = false;
			else field += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') {
			row.push(field);
			field = '';
		} else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
			if (c === '\r') i++;
		} else field += c;
	}
	if (field !== '' || row.length) rows.push([...row, field]);
	return rows;
}

/** The export prefixes text that a spreadsheet would run as a formula with "'": undo it. */
const unguard = (v: string) => (/^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v);

/** Question keys in the order the app asks them; others follow in order of appearance. */
const KNOWN_ORDER = ['subject', 'disentanglement', 'text', 'overall'];

export interface ExportAnalysis {
	methods: [string, string];
	/** How the pair's order was decided: the bundle's study.json, --methods, or alphabetically. */
	methodsFrom: 'study.json' | 'argument' | 'alphabetical';
	questions: string[];
	table: QuestionSummary[];
	/** Three or more methods: every pair, as the page's `pairs`; empty for two. */
	pairs: PairSummary<string>[];
}

export interface StudySettings {
	methods?: { name: string; position: number }[];
	questions?: { key: string }[];
}

export function analyzeResponses(
	csv: string,
	opts: { methods?: [string, string]; settings?: StudySettings } = {}
): ExportAnalysis {
	const [header, ...records] = parseCsv(csv);
	const col = (name: string) => {
		const i = header.indexOf(name);
		if (i < 0) throw new Error(`responses.csv has no "${name}" column.`);
		return i;
	};
	const c = {
		participant: col('participant'),
		item: col('item'),
		question: col('question'),
		left: col('left_method'),
		right: col('right_method'),
		choice: col('choice'),
		side: col('position_chosen'),
		excluded: col('excluded')
	};
	const rows = records
		.map((r) => r.map(unguard))
		.filter((r) => r.length === header.length && r[c.question] !== 'attention');
	const fromSettings = opts.settings?.methods
		?.slice()
		.sort((x, y) => x.position - y.position)
		.map((m) => m.name);
	const names = [...new Set(rows.flatMap((r) => [r[c.left], r[c.right]]))].sort();
	const order = opts.methods ?? fromSettings ?? names;
	const [a, b] = order;
	const methodsFrom = opts.methods ? 'argument' : fromSettings ? 'study.json' : 'alphabetical';
	const seen = [...new Set(rows.map((r) => r[c.question]))];
	const questions = opts.settings?.questions?.map((q) => q.key) ?? [
		...KNOWN_ORDER.filter((q) => seen.includes(q)),
		...seen.filter((q) => !KNOWN_ORDER.includes(q))
	];
	/** The kept answers of one pair, tallied exactly as the database tallies them. */
	const tallyPair = (a: string, b: string) => {
		const answers: PairAnswer[] = [];
		for (const r of rows) {
			if (r[c.excluded] === 'true') continue;
			const pair = new Set([r[c.left], r[c.right]]);
			if (!pair.has(a) || !pair.has(b)) continue;
			const choice = r[c.choice];
			answers.push({
				participant: r[c.participant],
				unit: r[c.item],
				question: r[c.question],
				choice: choice === a ? 'a' : choice === b ? 'b' : 'undecided',
				side: choice === 'undecided' ? null : (r[c.side] as 'left' | 'right')
			});
		}
		return tallyAnswers(questions, answers);
	};
	// --methods "A,B" asks for one pair; otherwise every pair of the study's methods.
	const pairs =
		!opts.methods && order.length > 2
			? summarizePairs(
					methodPairs(order).map((methods) => ({ methods, tallies: tallyPair(...methods) }))
				)
			: [];
	return {
		methods: [a, b],
		methodsFrom,
		questions,
		table: pairs[0]?.table ?? summarizeStudy(tallyPair(a, b)),
		pairs
	};
}

/** A bundle (.zip, read with the app's hardened reader) or a bare responses.csv. */
export async function analyzeExport(
	bytes: Buffer,
	opts: { methods?: [string, string] } = {}
): Promise<ExportAnalysis> {
	const isZip = bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
	if (!isZip) return analyzeResponses(bytes.toString('utf8'), opts);
	const { files, problems } = await readZip(bytes);
	if (problems.length) throw new Error(`The bundle cannot be read: ${problems.join(' ')}`);
	const find = (suffix: string) => [...files].find(([name]) => name.endsWith(suffix))?.[1];
	const csv = find('responses.csv');
	if (!csv) throw new Error('The bundle has no responses.csv.');
	const study = find('study.json');
	const settings = study ? (JSON.parse(study.toString('utf8')) as StudySettings) : undefined;
	return analyzeResponses(csv.toString('utf8'), { ...opts, settings });
}

/** The JSON `npm run analyze -- --json` prints: one object, the page's figures per question. */
export function analysisJson(x: ExportAnalysis) {
	return {
		methods: x.methods,
		methodsFrom: x.methodsFrom,
		questions: questionsJson(x.methods, x.table),
		/** Three or more methods: each pair's figures, with Holm over every pair × question. */
		pairs: x.pairs.map((p) => ({
			methods: p.methods,
			questions: questionsJson(p.methods, p.table).map((q, i) => ({
				...q,
				pHolmAllPairs: p.holmAllPairs[i]
			}))
		}))
	};
}

function questionsJson([a, b]: [string, string], table: readonly QuestionSummary[]) {
	return table.map((q) => ({
		question: q.question,
		n: q.n,
		participants: q.participants,
		items: q.items,
		shares: { [a]: q.a.estimate, [b]: q.b.estimate, undecided: q.undecided.estimate },
		/** b's share of decided answers. */
		decided: q.clustered.decided.estimate,
		p: q.clustered.p,
		pHolm: q.clusteredHolm,
		pByParticipant: q.clustered.byParticipant.p,
		pByItem: q.clustered.byItem.p,
		ci: [q.clustered.decided.lo, q.clustered.decided.hi],
		ciAllAnswers: [q.clustered.all.lo, q.clustered.all.hi],
		assumingIndependentAnswers: {
			p: q.signExcludingUndecided.p,
			pHolm: q.signExcludingUndecidedHolm,
			pSplitUndecided: q.signSplitUndecided.p,
			ci: [q.bDecided.lo, q.bDecided.hi]
		},
		participantBootstrapCi: [q.bDecidedBootstrap.lo, q.bDecidedBootstrap.hi],
		alpha: q.alpha,
		leftShare: q.left.estimate,
		leftP: q.leftSign.p
	}));
}
