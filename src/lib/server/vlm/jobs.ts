import { config } from '../config';
import { db } from '../db';
import { registerJobHandler } from '../jobs';
import { DRAFT_JOB, runDraftJob } from './drafting';
import { EXPRESSION_JOB, runExpressionJob } from './expression';
import { runSelectivityJob, SELECTIVITY_JOB } from './selectivity-pass';

// One job per reference image; the concurrency limit caps VLM calls in flight per instance.
registerJobHandler(DRAFT_JOB, {
	concurrency: config().VLM_CONCURRENCY,
	run: async (ctx) => runDraftJob(await db(), ctx)
});
registerJobHandler(EXPRESSION_JOB, {
	concurrency: Math.max(1, Math.floor(config().VLM_CONCURRENCY / 2)),
	run: async (ctx) => runExpressionJob(await db(), ctx)
});
registerJobHandler(SELECTIVITY_JOB, {
	concurrency: Math.max(1, Math.floor(config().VLM_CONCURRENCY / 2)),
	run: async (ctx) => runSelectivityJob(await db(), ctx)
});
