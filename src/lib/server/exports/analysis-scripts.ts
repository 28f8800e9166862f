/**
 * analysis.R and analysis.py of the study bundle: a reviewer refits the
 * logistic mixed model with crossed random intercepts for participants and
 * items on responses.csv, without this app. The pair's method names are
 * written in as string literals (JSON string syntax is valid in R and Python).
 */

export function analysisR(methodA: string, methodB: string): string {
	return `# Refit of the results page's comparison with lme4 (Bates et al. 2015), from responses.csv alone.
# Usage: Rscript analysis.R [responses.csv]      (needs install.packages("lme4"))
# Model per question, on decided answers of the pair:
#   logit P(choice = B) = b0 + u_participant + v_item,  u ~ N(0, s_p^2), v ~ N(0, s_i^2)
suppressPackageStartupMessages(library(lme4))
args <- commandArgs(trailingOnly = TRUE)
file <- if (length(args) >= 1) args[1] else "responses.csv"
A <- ${JSON.stringify(methodA)}
B <- ${JSON.stringify(methodB)}
d <- read.csv(file, stringsAsFactors = FALSE, colClasses = "character")
# The export's exclusion flags, as the results page applied them.
d <- d[d$question != "attention" & d$excluded != "true", ]
d <- d[((d$left_method == A & d$right_method == B) | (d$left_method == B & d$right_method == A)), ]
d <- d[d$choice %in% c(A, B), ]
d$y <- as.integer(d$choice == B)
cat(sprintf("question,n,participants,items,b0,se_b0,median_share_B,wald_p,lrt_p,var_participant,var_item\\n"))
for (q in unique(d$question)) {
  g <- d[d$question == q, ]
  if (length(unique(g$y)) < 2) { cat(sprintf("%s,%d,,,,,,,,,\\n", q, nrow(g))); next }
  fit <- glmer(y ~ 1 + (1 | participant) + (1 | item), data = g, family = binomial,
               control = glmerControl(optimizer = "bobyqa"))
  null <- glmer(y ~ 0 + (1 | participant) + (1 | item), data = g, family = binomial,
                control = glmerControl(optimizer = "bobyqa"))
  co <- summary(fit)$coefficients
  vc <- as.data.frame(VarCorr(fit))
  lrt <- anova(null, fit)[2, "Pr(>Chisq)"]
  cat(sprintf("%s,%d,%d,%d,%.6f,%.6f,%.6f,%.6g,%.6g,%.6f,%.6f\\n", q, nrow(g),
      length(unique(g$participant)), length(unique(g$item)), co[1, 1], co[1, 2], plogis(co[1, 1]),
      co[1, 4], lrt, vc$vcov[vc$grp == "participant"], vc$vcov[vc$grp == "item"]))
}
# Caution: when (nearly) every participant always picks the same side, the participant variance
# runs off and the Wald p collapses; read the likelihood-ratio p and the results page's
# participant- and item-level tests (README.md) before concluding anything.
`;
}

export function analysisPy(methodA: string, methodB: string): string {
	return `"""Refit of the results page's comparison from responses.csv alone.

Usage: python analysis.py [responses.csv]   (pip install pandas statsmodels)
Per question, on decided answers of the pair: logistic model with crossed random intercepts for
participants and items, fitted by variational Bayes (statsmodels' BinomialBayesMixedGLM), the
Python counterpart of analysis.R's lme4 fit.
"""
import sys

import numpy as np
import pandas as pd
from statsmodels.genmod.bayes_mixed_glm import BinomialBayesMixedGLM

A, B = ${JSON.stringify(methodA)}, ${JSON.stringify(methodB)}
d = pd.read_csv(sys.argv[1] if len(sys.argv) > 1 else "responses.csv", dtype=str)
d = d[(d.question != "attention") & (d.excluded != "true")]
pair = ((d.left_method == A) & (d.right_method == B)) | ((d.left_method == B) & (d.right_method == A))
d = d[pair & d.choice.isin([A, B])].copy()
d["y"] = (d.choice == B).astype(int)
print("question,n,b0,sd_b0,median_share_B,sd_participant,sd_item")
for q, g in d.groupby("question", sort=False):
    if g.y.nunique() < 2:
        print(f"{q},{len(g)},,,,,")
        continue
    model = BinomialBayesMixedGLM.from_formula(
        "y ~ 1", {"participant": "0 + C(participant)", "item": "0 + C(item)"}, g
    )
    fit = model.fit_vb()
    b0, sd0 = fit.fe_mean[0], fit.fe_sd[0]
    sds = np.exp(fit.vcp_mean)
    print(f"{q},{len(g)},{b0:.6f},{sd0:.6f},{1 / (1 + np.exp(-b0)):.6f},{sds[0]:.6f},{sds[1]:.6f}")
`;
}
