import { resolve } from 'node:path';
import { z } from 'zod';

/** Every setting the server reads from the environment, validated once. Documented in README.md. */
const envSchema = z.object({
	DATABASE_URL: z.string().url().optional(),
	DATA_DIR: z.string().default('./data'),
	DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
	ADMIN_EMAIL: z.string().email().optional(),
	ADMIN_PASSWORD: z.string().min(12).optional(),
	MAX_UPLOAD_BYTES: z.coerce
		.number()
		.int()
		.positive()
		.default(20 * 1024 * 1024),
	MAX_IMAGE_PIXELS: z.coerce.number().int().positive().default(40_000_000),
	SESSION_DAYS: z.coerce.number().positive().default(30),
	SESSION_IDLE_DAYS: z.coerce.number().positive().default(7),
	INVITE_HOURS: z.coerce.number().positive().default(72),
	S3_BUCKET: z.string().min(3).optional(),
	S3_ENDPOINT: z.string().url().optional(),
	S3_REGION: z.string().default('us-east-1'),
	S3_PREFIX: z.string().default('blobs/'),
	S3_ACCESS_KEY_ID: z.string().optional(),
	S3_SECRET_ACCESS_KEY: z.string().optional(),
	JOB_RUNNER: z.enum(['on', 'off']).default('on'),
	/** Only bench/ceiling.ts turns this on: the reference endpoints it compares the app with. */
	BENCH_ENDPOINTS: z.enum(['on', 'off']).default('off'),
	JOB_LEASE_SECONDS: z.coerce.number().int().positive().default(60),
	OPENAI_API_KEY: z.string().min(1).optional(),
	OPENAI_BASE_URL: z.string().url().optional(),
	VLM_MODEL: z.string().min(1).default('gpt-4o'),
	VLM_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
	VLM_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
	/** Lease of a GPU job; a worker heartbeats well within it (tests use a few seconds). */
	/** Consent starts and resumes per study per client address and minute (shared networks: generous). */
	CONSENT_STARTS_PER_MINUTE: z.coerce.number().int().min(1).default(60),
	WORKER_LEASE_SECONDS: z.coerce.number().int().min(2).max(3600).default(120)
});

export type Config = z.infer<typeof envSchema> & { dataDir: string };

let cached: Config | undefined;

export function config(): Config {
	if (!cached) {
		const parsed = envSchema.safeParse(process.env);
		if (!parsed.success) {
			throw new Error(`Invalid environment: ${z.prettifyError(parsed.error)}`);
		}
		cached = { ...parsed.data, dataDir: resolve(parsed.data.DATA_DIR) };
	}
	return cached;
}

/** Tests change the environment between cases. */
export function resetConfig(): void {
	cached = undefined;
}
