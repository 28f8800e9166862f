/**
 * The field's reference implementation next to the app: R's lme4 fits
 * glmer(y ~ 1 + (1|participant) + (1|item), binomial) on studies simulated
 * here, all in one Rscript call (a few seconds), so that
 * - the simulator is shown to be the model lme4 fits (it recovers the known
 *   effect and variances), which is what makes the false-positive checks of
 *   clustered.test.ts meaningful, and
 * - the app's headline test and lme4's likelihood-ratio test reach the same
 *   verdict where the model holds, while the STACK.md trap shows up where it
 *   does not: with every participant always on one side, glmer's Wald p
 *   collapses and the app's does not.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { summarizeQuestion, tallyAnswers, type PairAnswer } from './preferences';
import { simulateStudy, type SimulationDesign } from './simulate';

const FIT = `suppressPackageStartupMessages(library(lme4))
d <- read.csv(commandArgs(trailingOnly = TRUE)[1], stringsAsFactors = FALSE)
ctl <- glmerControl(optimizer = "bobyqa")
for (s in unique(d$study)) {
  g <- d[d$study == s, ]
  fit <- glmer(y ~ 1 + (1 | participant) + (1 | item), data = g, family = binomial, control = ctl)
  null <- glmer(y ~ 0 + (1 | participant) + (1 | item), data = g, family = binomial, control = ctl)
  co <- summary(fit)$coefficients
  vc <- as.data.frame(VarCorr(fit))
  cat(sprintf("%s,%.8f,%.8f,%.8g,%.8g,%.8f,%.8f\\n", s, co[1, 1], co[1, 2], co[1, 4],
    anova(null, fit)[2, "Pr(>Chisq)"], vc$sdcor[vc$grp == "participant"], vc$sdcor[vc$grp == "item"]))
}
`;

interface Lme4Fit {
	b0: number;
	se: number;
	waldP: number;
	lrtP: number;
	sdParticipant: number;
	sdItem: number;
}

async function lme4(studies: Map<string, PairAnswer[]>): Promise<Map<string, Lme4Fit>> {
	const dir = await mkdtemp(join(tmpdir(), 'lme4-'));
	const lines = ['study,participant,item,y'];
	for (const [s, answers] of studies)
		for (const x of answers)
			if (x.choice !== 'undecided')
				lines.push(`${s},${x.participant},${x.unit},${x.choice === 'b' ? 1 : 0}`);
	await writeFile(join(dir, 'd.csv'), lines.join('\n') + '\n');
	await writeFile(join(dir, 'fit.R'), FIT);
	const { stdout } = await promisify(execFile)(
		'Rscript',
		[join(dir, 'fit.R'), join(dir, 'd.csv')],
		{
			timeout: 180_000
		}
	);
	return new Map(
		stdout
			.trim()
			.split('\n')
			.map((line) => {
				const [s, ...v] = line.split(',');
				const [b0, se, waldP, lrtP, sdParticipant, sdItem] = v.map(Number);
				return [s, { b0, se, waldP, lrtP, sdParticipant, sdItem }];
			})
	);
}

const KNOWN: SimulationDesign = {
	participants: 60,
	items: 40,
	perParticipant: 20,
	effect: 0.8,
	sdParticipant: 1,
	sdItem: 0.5
};

/** 7 participants always choose b, 3 always a (the example), 20 items. */
function sevenVersusThree(): PairAnswer[] {
	const out: PairAnswer[] = [];
	for (let p = 0; p < 10; p++)
		for (let k = 0; k < 10; k++)
			out.push({
				participant: `P${p}`,
				unit: `I${(p * 3 + k) % 20}`,
				question: 'overall',
				choice: p < 7 ? 'b' : 'a',
				side: 'left'
			});
	return out;
}

describe('agreement with lme4', () => {
	const studies = new Map<string, PairAnswer[]>();
	let fits: Map<string, Lme4Fit>;
	beforeAll(async () => {
		for (let s = 0; s < 12; s++) studies.set(`known${s}`, simulateStudy(KNOWN, 500 + s));
		for (let s = 0; s < 12; s++)
			studies.set(`null${s}`, simulateStudy({ ...KNOWN, effect: 0, sdParticipant: 2 }, 900 + s));
		studies.set('sevenThree', sevenVersusThree());
		fits = await lme4(studies);
	}, 240_000);

	it('recovers the known effect and variances (tolerance: 0.15 on the logit scale, averaged over 12 studies)', () => {
		const known = [...fits].filter(([s]) => s.startsWith('known')).map(([, f]) => f);
		expect(known).toHaveLength(12);
		const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
		expect(Math.abs(mean(known.map((f) => f.b0)) - KNOWN.effect)).toBeLessThan(0.15);
		expect(Math.abs(mean(known.map((f) => f.sdParticipant)) - KNOWN.sdParticipant)).toBeLessThan(
			0.15
		);
		expect(Math.abs(mean(known.map((f) => f.sdItem)) - KNOWN.sdItem)).toBeLessThan(0.15);
	});

	it('reaches the same verdict as lme4 where its model holds', () => {
		for (const [s, answers] of studies) {
			if (s === 'sevenThree') continue;
			const q = summarizeQuestion(tallyAnswers(['overall'], answers)[0], { reps: 1 });
			const fit = fits.get(s)!;
			if (s.startsWith('known')) {
				expect(fit.lrtP).toBeLessThan(0.05);
				expect(q.clustered.p!).toBeLessThan(0.05);
				// The marginal share lies between one half and the conditional (median) share.
				const median = 1 / (1 + Math.exp(-fit.b0));
				expect(q.clustered.decided.estimate!).toBeGreaterThan(0.5);
				expect(q.clustered.decided.estimate!).toBeLessThan(median + 0.02);
			}
		}
		const nulls = [...fits].filter(([s]) => s.startsWith('null'));
		const agree = nulls.filter(([s, f]) => {
			const q = summarizeQuestion(tallyAnswers(['overall'], studies.get(s)!)[0], { reps: 1 });
			return f.lrtP < 0.05 === q.clustered.p! < 0.05;
		});
		expect(agree.length).toBeGreaterThanOrEqual(10);
	});

	it('does not share glmer’s Wald collapse when every participant always picks one side', () => {
		const fit = fits.get('sevenThree')!;
		const q = summarizeQuestion(tallyAnswers(['overall'], studies.get('sevenThree')!)[0]);
		expect(q.clustered.p!).toBeGreaterThan(0.05);
		// lme4 sends the participant sd off (about 75 here) and reports a Wald p as small as the
		// answer-level test's, though only ten people decided it.
		expect(fit.sdParticipant).toBeGreaterThan(3);
		expect(fit.waldP).toBeLessThan(0.05);
	});
});
