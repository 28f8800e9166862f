/** README.md of the study bundle: every column explained, and how to get the page's numbers back. */
import type { Study } from '../db/schema';
import type { ExportOptions } from './responses';
import { EXTERNAL_ID_RECIPE, RESPONSE_COLUMNS } from './responses';

/** The answer-level figures with pandas (they assume independent answers; see the statistics). */
export const PANDAS_SNIPPET = `import pandas as pd
from scipy.stats import binomtest
from statsmodels.stats.proportion import proportion_confint

df = pd.read_csv("responses.csv")
df = df[(df.question != "attention") & (~df.excluded)]
a, b = A_METHOD, B_METHOD  # the study's pair, as in study.json / the page's rows
for q, g in df.groupby("question", sort=False):
    n = len(g)
    na, nb = (g.choice == a).sum(), (g.choice == b).sum()
    nu = (g.choice == "undecided").sum()
    lo, hi = proportion_confint(nb, n, method="wilson")
    p_excl = binomtest(nb, na + nb).pvalue if na + nb else float("nan")
    h = nu // 2
    p_split = binomtest(nb + h, na + nb + 2 * h).pvalue if n else float("nan")
    print(f"{q:16} n={n:5}  {a}: {na/n:.1%}  {b}: {nb/n:.1%}  undecided: {nu/n:.1%}"
          f"  {b} 95% CI [{lo:.1%}, {hi:.1%}]  p={p_excl:.3g} (split ties p={p_split:.3g})")
`;

export function codebook(study: Study, opts: ExportOptions): string {
	const columns = RESPONSE_COLUMNS.map(
		(c) => `| \`${c.name}\` | ${c.description.replaceAll('|', '\\|')} |`
	).join('\n');
	const rules = opts.rules;
	return `# ${study.title}: data bundle

Exported from SID Studio on ${new Date().toISOString()} (UTC).
Study slug \`${study.slug}\`, id \`${study.id}\`.
Preregistration snapshot: ${study.preregistrationHash ? `sha256 \`${study.preregistrationHash}\` of the configuration frozen when the study opened (\`study.json\` → \`preregistration\`; the hash is over its canonical JSON: keys sorted, no spaces).` : 'none (the study has not been opened yet).'}

## Files

- \`responses.csv\`: one row per answer (tidy). Columns below. Preview sessions are never exported.
- \`items.csv\`: the comparisons: subject, prompt, and the sample of each method.
- \`samples.csv\`: the images: run, method, subject, prompt, seed, content hash (sha256 of the image file), per-sample metrics as JSON.
- \`runs.jsonl\`: one JSON object per run: method, description case (the paper's Tab. 1), subject, training and sampling settings (\`config\`, which holds the training descriptions, i.e. the SIDs, for GPU runs) and aggregated metrics.
- \`study.json\`: the study's settings (questions and their wording, speeder threshold, attention check), the two compared methods in order (\`methods\`: A is position 0, B position 1) and the exclusion rules of this export.
- \`analysis.R\`, \`analysis.py\`: refit the logistic mixed model with crossed random intercepts for participants and items (lme4's \`glmer\`; statsmodels' \`BinomialBayesMixedGLM\`) on \`responses.csv\`, without SID Studio.

## responses.csv columns

CSV per RFC 4180 (UTF-8, comma, CRLF, quotes doubled). A text cell that starts with \`=\`, \`+\`, \`-\`, \`@\`, tab or CR is prefixed with \`'\` so spreadsheets do not run it as a formula; numbers are written as numbers.

| column | meaning |
| --- | --- |
${columns}

## Exclusion rules used for the \`excluded\` column

- attention checks: ${rules.attention === 'off' ? 'not applied' : rules.attention === 'any' ? 'excluded after one failed check' : "excluded after two or more failed checks (Prolific's rule)"}
- speeders: ${rules.speeders ? `excluded (median time per question under ${study.speederMsPerQuestion} ms)` : 'kept'}
- incomplete participants: ${rules.incomplete ? 'excluded' : 'kept'}
- preview sessions: always excluded (not in the file)

## Matching payments

\`external_id\` (hashed) = ${EXTERNAL_ID_RECIPE}.
For this study: \`sha256("${study.id}:PROLIFIC_PID:" + <PROLIFIC_PID>)\`, first 16 hex digits (likewise \`workerId\` for MTurk, \`pid\` otherwise).
In Python: \`hashlib.sha256(f"${study.id}:PROLIFIC_PID:{pid}".encode()).hexdigest()[:16]\`.

## Statistics on the results page

Headline figures (per question, comparing method B with method A) count people and images, not clicks:

- **p**: the larger of two sign-flip randomization tests of "no preference", one with participants as the units (each participant's score is their answers for B minus for A), one with items as the units; exact by enumeration of all sign flips where feasible, else its normal limit. A preference must generalise over both participants and items (the logic of Clark's 1973 min F′). Holm-adjusted across the questions.
- **95% interval** for B's share of decided answers (and of all answers): two-way cluster-robust (participant × item) standard error of Cameron, Gelbach & Miller (2011), small-sample factor G/(G−1), t quantile with min(participants, items) − 1 degrees of freedom, never narrower than either one-way interval, clipped to [0, 1].
- Participant-clustered percentile bootstrap (2,000 resamples, fixed seed; the Poisson bootstrap over identical participants for very large studies): a one-way alternative that ignores item correlation.

Figures that assume every answer is independent (too confident with several answers per participant; shown for comparison only): Wilson 95% score intervals; exact binomial (sign) tests on decided answers and with undecided split evenly; their Holm adjustments.

Also: Krippendorff's alpha (nominal; categories: method A, method B, undecided) over items answered by two or more participants; position bias (share of decided answers for the left image, answer-level sign test); for studies of more than two methods, Bradley-Terry strengths (MM algorithm, undecided = half a win each) on the "overall" question with participant-bootstrap intervals.

## Reproducing the page's numbers

With SID Studio's source: \`npm run analyze -- <this bundle.zip> [--json]\` recomputes every figure of the results page from \`responses.csv\` (rows with \`excluded\` = true are left out, as on the page).
Without it: \`Rscript analysis.R responses.csv\` (lme4) or \`python analysis.py responses.csv\` refit the mixed model. When every participant always picks the same side, glmer's Wald p collapses (the participant variance runs off); prefer the likelihood-ratio p it also prints, and the page's headline test.

### Answer-level figures with pandas (assume independent answers)

Replace A_METHOD and B_METHOD with the method names (in quotes).

\`\`\`python
${PANDAS_SNIPPET}\`\`\`
`;
}
