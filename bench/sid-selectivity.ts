/**
 * How well the deterministic selectivity rules separate clean SIDs from captions that describe
 * the subject, on two hand-written labelled sets:
 * - bench/data/sid-labelled.jsonl (230 captions, written before the first round of rule changes).
 *   Its "heldout" quarter was not looked at in the first round; its two misses were studied in
 *   the second round, so it is a development set since then ("heldout1").
 * - bench/data/sid-heldout-2.jsonl (95 captions, "heldout2"): written and committed before the
 *   second round of rule changes and never edited after; its figures for the round-2 rules are
 *   in docs/SID.md. Its misses were studied in the third round, so it is a development set since.
 * - bench/data/sid-heldout-3.jsonl (66 captions, "heldout3"): written and committed before the
 *   third round of rule changes, never edited after; its misses were read in round 4.
 *
 * - bench/data/sid-dev-4.jsonl (254 captions, "dev4"): written by the author of the round-4 rules
 *   for their development, in four batches, each measured once before the changes it prompted
 *   (figures in docs/SID.md); a development set from the start.
 * - bench/data/sid-heldout-4.jsonl ("heldout4"), read only when present: a blind set written by
 *   someone other than the rules' author, measured on the round-4 rules afterwards.
 * Since round 4, every set but held-out 4 is a development set.
 *
 *   node --import tsx bench/sid-selectivity.ts [--split dev|heldout1|heldout2|heldout3|dev4|heldout4|all] [--verbose]
 *
 * Recall: share of subject-describing captions flagged. False flags: share of clean SIDs
 * flagged. Targets (issue #11): recall >= 0.95, false flags <= 0.05.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSelectivity } from '../src/lib/server/captions/selectivity';
import { composeCases, type SidStructure } from '../src/lib/captions/structure';
import { DEMO_RECORDING } from '../src/lib/server/captions/demo';
import { DEMO_DATASET } from '../src/lib/server/demo/seed';
import { parsePromptsAndClasses } from '../src/lib/server/subjects/dataset';

interface Row {
	class: string;
	caption: string;
	label: 'clean' | 'subject';
	split: 'dev' | 'heldout1' | 'heldout2' | 'heldout3' | 'dev4' | 'heldout4';
}

const argv = process.argv.slice(2);
const only = argv.includes('--split') ? argv[argv.indexOf('--split') + 1] : 'all';
const verbose = argv.includes('--verbose');
const dataFile = (file: string) => join(import.meta.dirname, 'data', file);
const read = (file: string) =>
	readFileSync(dataFile(file), 'utf8')
		.split('\n')
		.filter((l) => l.trim())
		.map((l) => JSON.parse(l) as Row);
const rows = [
	...read('sid-labelled.jsonl').map((r) => ({
		...r,
		split: (r.split === 'dev' ? 'dev' : 'heldout1') as Row['split']
	})),
	...read('sid-heldout-2.jsonl'),
	...read('sid-heldout-3.jsonl'),
	...read('sid-dev-4.jsonl'),
	// Held-out 4 is added by someone else once the round-4 rules are done; absent until then.
	...(existsSync(dataFile('sid-heldout-4.jsonl'))
		? read('sid-heldout-4.jsonl').map((r) => ({ ...r, split: 'heldout4' as const }))
		: [])
];
const SPLITS: Record<string, string> = {
	dev: 'dev (tuned on in round 1)',
	heldout1: 'held-out 1 (held out in round 1; its misses studied in round 2, so dev since)',
	heldout2:
		'held-out 2 (written before the second round of rule changes; its misses studied in round 3, so dev since)',
	heldout3:
		'held-out 3 (written before the third round of rule changes; its misses seen in round 4, so dev since)',
	dev4: 'dev 4 (written by the round-4 rules author for development)',
	heldout4: 'held-out 4 (blind: written during round 4 by another author who never saw the rules)',
	all: 'all'
};

function figures(set: Row[]) {
	let tp = 0,
		fp = 0,
		clean = 0,
		subject = 0;
	for (const r of set) {
		const flags = checkSelectivity(r.caption, {
			identifier: 'sks',
			classNoun: r.class,
			kind: 'object'
		});
		const flagged = flags.length > 0;
		if (r.label === 'subject') subject++;
		else clean++;
		if (flagged && r.label === 'subject') tp++;
		else if (flagged) {
			fp++;
			if (verbose) console.info(`FALSE FLAG  ${r.caption}\n            ${flags[0].message}`);
		} else if (r.label === 'subject') {
			if (verbose) console.info(`MISSED      ${r.caption}`);
		}
	}
	return {
		captions: set.length,
		clean,
		subject,
		recall: +(tp / subject).toFixed(3),
		precision: +(tp / (tp + fp)).toFixed(3),
		falseFlagRate: +(fp / clean).toFixed(3)
	};
}

// The recorded demo structures (129 real DreamBooth images): case 3 should pass, case 4 be flagged.
function demoFigures() {
	const rec = JSON.parse(readFileSync(DEMO_RECORDING, 'utf8')) as {
		replies: Record<string, SidStructure>;
	};
	const { classes } = parsePromptsAndClasses(
		readFileSync(join(DEMO_DATASET, 'prompts_and_classes.txt'), 'utf8')
	);
	let sidFlagged = 0,
		caseFourFlagged = 0;
	const entries = Object.entries(rec.replies);
	for (const [file, st] of entries) {
		const s = {
			identifier: 'sks',
			classNoun: classes.get(file.split('/')[0])!,
			kind: 'object' as const
		};
		const cases = composeCases(st, s);
		if (checkSelectivity(cases[3], s).length) sidFlagged++;
		if (checkSelectivity(cases[4], s).length) caseFourFlagged++;
	}
	return {
		images: entries.length,
		sidFalseFlagRate: +(sidFlagged / entries.length).toFixed(3),
		caseFourRecall: +(caseFourFlagged / entries.length).toFixed(3)
	};
}

for (const split of Object.keys(SPLITS)) {
	if (only !== 'all' && only !== split) continue;
	const set = split === 'all' ? rows : rows.filter((r) => r.split === split);
	if (set.length === 0) continue;
	console.info(JSON.stringify({ split: SPLITS[split], ...figures(set) }));
}
if (only === 'all') console.info(JSON.stringify({ split: 'demo recording', ...demoFigures() }));

// Speed: every labelled caption checked 20 times after a warm-up pass.
function timing() {
	const subject = (r: Row) => ({ identifier: 'sks', classNoun: r.class, kind: 'object' as const });
	for (const r of rows) checkSelectivity(r.caption, subject(r));
	const t0 = performance.now();
	for (let i = 0; i < 20; i++) for (const r of rows) checkSelectivity(r.caption, subject(r));
	return +((performance.now() - t0) / (20 * rows.length)).toFixed(4);
}
if (only === 'all') console.info(JSON.stringify({ msPerCaption: timing() }));
