/** README.md of the study bundle: every column explained, and how to get the page's numbers back. */
import type { Study } from '../db/schema';
import type { ExportOptions } from './responses';
import { RESPONSE_COLUMNS } from './responses';

/** A pandas script that recomputes the results page from responses.csv (checked in the tests). */
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

## Files

- \`responses.csv\`: one row per answer (tidy). Columns below. Preview sessions are never exported.
- \`items.csv\`: the comparisons: subject, prompt, and the sample of each method.
- \`samples.csv\`: the images: run, method, subject, prompt, seed, content hash (sha256 of the image file), per-sample metrics as JSON.
- \`runs.jsonl\`: one JSON object per run: method, description case (the paper's Tab. 1), subject, training and sampling settings (\`config\`, which holds the training descriptions, i.e. the SIDs, for GPU runs) and aggregated metrics.
- \`study.json\`: the study's settings (questions and their wording, speeder threshold, attention check) and the exclusion rules of this export.

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

## Statistics on the results page

- Shares: answers for a method (or undecided) over all answers to the question (n), as in the paper's Table B.2.
- Wilson 95% score intervals for each share and for the preference among decided answers.
- Exact two-sided binomial (sign) test of "no preference" on decided answers; and with undecided answers split evenly (an odd one left over is dropped). Four questions are tested, so the page also gives Holm-adjusted p-values.
- Participant-clustered percentile bootstrap (resampling participants, 2,000 resamples, fixed seed) for the preference: one person's answers are not independent.
- Krippendorff's alpha (nominal; categories: method A, method B, undecided) over items answered by two or more participants: 1 − observed/expected disagreement; 1 = perfect agreement, 0 = chance level.
- Position bias: the share of decided answers that chose the left image, with its Wilson interval and sign test.
- Studies of more than two methods: Bradley-Terry strengths (MM algorithm, undecided = half a win each) on the "overall" question, with participant-bootstrap intervals.

## Reproducing the page's numbers (pandas)

Replace A_METHOD and B_METHOD with the method names (in quotes).

\`\`\`python
${PANDAS_SNIPPET}\`\`\`
`;
}
