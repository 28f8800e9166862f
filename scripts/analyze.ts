// `npm run analyze -- <bundle.zip | responses.csv> [--json] [--methods "A,B"]`: the results
// page's statistics recomputed offline from an export, with the exclusions it carries.
import { readFile } from 'node:fs/promises';
import { analysisJson, analyzeExport } from '../src/lib/server/analysis/export-file';

const args = process.argv.slice(2);
const json = args.includes('--json');
const m = args.indexOf('--methods');
const methods =
	m >= 0 ? (args[m + 1]?.split(',').map((s) => s.trim()) as [string, string]) : undefined;
const file = args.find((x, i) => !x.startsWith('--') && (m < 0 || i !== m + 1));
if (!file || (methods && methods.length !== 2)) {
	console.error(
		'usage: npm run analyze -- <bundle.zip | responses.csv> [--json] [--methods "A,B"]'
	);
	process.exit(2);
}
const result = analyzeExport(await readFile(file), { methods });
const out = analysisJson(await result);
if (json) console.info(JSON.stringify(out, null, 2));
else {
	const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);
	const p = (x: number | null) => (x === null ? '–' : x < 1e-4 ? '<0.0001' : x.toPrecision(3));
	const [a, b] = out.methods;
	console.info(`${a} (A) vs ${b} (B); method order from ${out.methodsFrom}.`);
	for (const q of out.questions) {
		console.info(
			`${q.question.padEnd(16)} n=${q.n} (${q.participants} participants, ${q.items} items)  ` +
				`A ${pct(q.shares[a])}  B ${pct(q.shares[b])}  undecided ${pct(q.shares.undecided)}  ` +
				`B among decided ${pct(q.decided)} [${pct(q.ci[0])}, ${pct(q.ci[1])}]  ` +
				`p=${p(q.p)} (Holm ${p(q.pHolm)}; assuming independent answers p=${p(q.assumingIndependentAnswers.p)})`
		);
	}
	for (const pair of out.pairs) {
		const [a, b] = pair.methods;
		console.info(`\n${a} vs ${b}:`);
		for (const q of pair.questions)
			console.info(
				`${q.question.padEnd(16)} n=${q.n}  B among decided ${pct(q.decided)} ` +
					`[${pct(q.ci[0])}, ${pct(q.ci[1])}]  p=${p(q.p)} (Holm ${p(q.pHolm)}; all pairs ${p(q.pHolmAllPairs)})`
			);
	}
}
if (out.methodsFrom === 'alphabetical')
	console.error('Method order assumed alphabetical; pass --methods "A,B" to set it.');
