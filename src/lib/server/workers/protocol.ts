import { z } from 'zod';

/**
 * zod schemas of every worker message in docs/WORKER_API.md; the worker's pydantic models
 * are the other half. Objects are strict: an unknown field is a protocol drift, refused
 * with 400 rather than silently ignored.
 */

export const GPU_JOB_KINDS = ['dreambooth_run'] as const;
export type GpuJobKind = (typeof GPU_JOB_KINDS)[number];

export const STAGES = ['class_images', 'training', 'sampling', 'metrics', 'uploading'] as const;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256');
const finite = z.number().finite();
const seed = z
	.number()
	.int()
	.min(0)
	.max(2 ** 53 - 1);

export const claimRequest = z.strictObject({
	worker_name: z.string().trim().min(1).max(200),
	kinds: z.array(z.enum(GPU_JOB_KINDS)).min(1).max(10),
	wait_seconds: z.number().int().min(0).max(30)
});

export const heartbeatRequest = z.strictObject({
	lease_id: z.uuid(),
	stage: z.enum(STAGES),
	progress: finite.min(0).max(1),
	message: z.string().max(500)
});

const sampleMetrics = z.strictObject({
	subject_alignment: finite.nullable(),
	non_subject_disentanglement: finite.nullable(),
	text_alignment: finite
});
export type SampleMetrics = z.infer<typeof sampleMetrics>;

export const completeRequest = z.strictObject({
	lease_id: z.uuid(),
	samples: z
		.array(
			z.strictObject({
				prompt: z.string().min(1).max(1000),
				seed,
				sha256,
				metrics: sampleMetrics.nullable(),
				attention_map_sha256: sha256.nullable()
			})
		)
		.max(10_000),
	run_metrics: sampleMetrics.nullable(),
	training: z.strictObject({
		steps: z.number().int().min(0),
		final_loss: finite.nullable(),
		seconds: finite.min(0),
		losses: z.array(finite).max(100_000),
		/** What the worker did differently from what was asked (e.g. no 8-bit Adam), shown on the run. */
		notes: z.array(z.string().trim().min(1).max(1000)).max(50).optional()
	}),
	sampling: z.strictObject({
		seconds: finite.min(0),
		images: z.number().int().min(0)
	})
});
export type CompleteRequest = z.infer<typeof completeRequest>;

export const failRequest = z.strictObject({
	lease_id: z.uuid(),
	error: z.string().min(1).max(4000),
	retryable: z.boolean(),
	cancelled: z.boolean()
});
export type FailRequest = z.infer<typeof failRequest>;

/** The job envelope a claim returns. */
export interface ClaimedJob {
	id: string;
	kind: string;
	lease_id: string;
	lease_seconds: number;
	attempt: number;
	payload: unknown;
}
