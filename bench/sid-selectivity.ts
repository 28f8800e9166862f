/**
 * How well the deterministic selectivity rules separate clean SIDs from captions that describe
 * the subject, on the labelled set bench/data/sid-labelled.jsonl (written by hand before the
 * rules were tuned; the "heldout" quarter was never looked at while tuning).
 *
 *   node --import tsx bench/sid-selectivity.ts [--split dev|heldout|all] [--verbose]
 *
 * Recall: share of subject-describing captions flagged. False flags: share of clean SIDs
 * flagged. Targets (issue #11): recall >= 0.95, false flags <= 0.05.
 */
import { readFileSync } from 'node:fs';
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
	split: 'dev' | 'heldout';
}

const argv = process.argv.slice(2);
const only = argv.includes('--split') ? argv[argv.indexOf('--split') + 1] : 'all';
const verbose = argv.includes('--verbose');
const rows = readFileSync(join(import.meta.dirname, 'data', 'sid-labelled.jsonl'), 'utf8')
	.split('\n')
	.filter((l) => l.trim())
	.map((l) => JSON.parse(l) as Row);

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

for (const split of ['dev', 'heldout', 'all']) {
	if (only !== 'all' && only !== split) continue;
	const set = split === 'all' ? rows : rows.filter((r) => r.split === split);
	console.info(JSON.stringify({ split, ...figures(set) }));
}
if (only === 'all') console.info(JSON.stringify({ split: 'demo recording', ...demoFigures() }));
