import { and, desc, eq, inArray, sql, count } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db';
import { jobs, methods, runs, samples, subjects, referenceImages } from '../db/schema';
import { cancel, enqueue, retry } from '../jobs/queue';
import { Refusal, refuse } from '../http/refusal';
import { trainingCaptions, type DescriptionCase, type TrainingCaption } from '../captions/training';
import { runPayload, TRAINERS, type RunPayload, type Trainer } from './payload';
import {
	CLIP_MODEL,
	COMMON_TRAINING,
	PAPER_SAMPLING,
	defaultPromptTemplates,
	expandPrompt
} from './settings';
import {
	TRAINER_DEFAULTS,
	describeHyperparameters,
	hyperparameters,
	hyperparametersOf
} from '$lib/generation/hyperparameters';

/** A request the admin can fix (bad settings, captions not approved); shown next to the form. */
function refuseGeneration(message: string): never {
	refuse(400, message);
}

const template = z
	.string()
	.trim()
	.min(1)
	.max(300)
	.refine((t) => t.includes('{identifier}'), 'Every prompt needs {identifier} in it.');

/** Settings the form may change for every method; the rest of the paper's setup stays. */
const trainingOverrides = z.object({
	model: z.string().trim().min(1).max(300),
	resolution: z.number().int().min(8).max(2048),
	seed: z
		.number()
		.int()
		.min(0)
		.max(2 ** 31),
	mixed_precision: z.enum(['no', 'fp16', 'bf16']),
	gradient_checkpointing: z.boolean(),
	use_8bit_adam: z.boolean()
});

export const generationRequest = z.object({
	/** Generated when the form is shown: submitting it twice creates the runs once. */
	requestId: z.uuid(),
	subjectIds: z.array(z.uuid()).min(1, 'Pick at least one subject.').max(100),
	methodIds: z.array(z.uuid()).min(1, 'Pick the methods to compare.').max(4),
	/** Templates with {identifier} and {class}; absent: the DreamBooth prompts of the subject's kind. */
	prompts: z.array(template).min(1).max(200).optional(),
	seedsPerPrompt: z.number().int().min(1).max(20),
	training: trainingOverrides.partial().default({}),
	/** Per method (trainer): changes to its own defaults, never shared between methods. */
	hyperparameters: z.partialRecord(z.enum(TRAINERS), hyperparameters.partial()).default({}),
	sampling: z
		.object({
			num_inference_steps: z.number().int().min(1).max(1000),
			guidance_scale: z.number().min(0).max(50),
			negative_prompt: z.string().trim().max(1000).nullable()
		})
		.partial()
		.default({}),
	metrics: z.enum(['auto', 'uploaded_masks', 'grounded_sam', 'none', 'off']).default('auto'),
	attentionMaps: z.boolean().default(true)
});
export type GenerationRequest = z.infer<typeof generationRequest>;

function segmentationFor(
	choice: GenerationRequest['metrics'],
	captions: TrainingCaption[]
): RunPayload['metrics'] {
	if (choice === 'off') return { enabled: false, clip_model: CLIP_MODEL, segmentation: 'none' };
	const seg =
		choice === 'auto'
			? captions.every((c) => c.maskSha256)
				? 'uploaded_masks'
				: 'grounded_sam'
			: choice;
	return { enabled: true, clip_model: CLIP_MODEL, segmentation: seg };
}

/**
 * Creates one run (and its GPU job) per subject x method. All or nothing: if any SID run
 * lacks approved captions, or any payload would be refused by the worker, nothing is
 * created and the message says which subject and why.
 */
export async function createComparisonRuns(
	db: Db,
	req: GenerationRequest,
	createdBy: string | null
): Promise<string[]> {
	const chosenMethods = await db.select().from(methods).where(inArray(methods.id, req.methodIds));
	if (chosenMethods.length !== new Set(req.methodIds).size) {
		refuseGeneration('A chosen method does not exist.');
	}
	for (const m of chosenMethods) {
		if (!(TRAINERS as readonly string[]).includes(m.trainer)) {
			refuseGeneration(`"${m.name}" is not a method a GPU worker can train.`);
		}
		// Never a silent default: training on the wrong description case invalidates a study.
		if (![1, 2, 3, 4].includes(m.descriptionCase ?? 0)) {
			refuseGeneration(
				`"${m.name}" names no description case (1-4 of the paper's Tab. 1); set the case it trains on before training it.`
			);
		}
	}
	const chosenSubjects = await db
		.select()
		.from(subjects)
		.where(inArray(subjects.id, req.subjectIds));
	if (chosenSubjects.length !== new Set(req.subjectIds).size) {
		refuseGeneration('A chosen subject does not exist.');
	}

	const planned: {
		payload: RunPayload;
		methodId: string;
		subjectId: string;
		slot: number;
	}[] = [];
	const problems: string[] = [];
	for (const subject of chosenSubjects) {
		for (const method of chosenMethods) {
			let captions: TrainingCaption[];
			try {
				captions = await trainingCaptions(
					db,
					subject.id,
					method.descriptionCase as DescriptionCase
				);
			} catch (e) {
				// Not approved yet: collected, so the admin sees every subject that needs work.
				if (!(e instanceof Refusal)) throw e;
				problems.push(
					`${subject.name}: "${method.name}" trains on case-${method.descriptionCase} captions, and not all of this subject's captions are approved yet. Approve them in the annotation queue first.`
				);
				continue;
			}
			if (captions.length === 0) {
				problems.push(`${subject.name} has no reference images.`);
				continue;
			}
			const templates = req.prompts ?? defaultPromptTemplates(subject.kind);
			const payload = {
				run_id: crypto.randomUUID(),
				method: method.trainer as Trainer,
				description_case: method.descriptionCase as DescriptionCase,
				subject: {
					id: subject.id,
					name: subject.name,
					class_noun: subject.classNoun,
					identifier: subject.identifier,
					kind: subject.kind
				},
				reference_images: captions.map((c) => ({
					sha256: c.blobSha256,
					url: `/api/worker/blobs/${c.blobSha256}`,
					caption: c.caption,
					mask_sha256: c.maskSha256
				})),
				training: {
					...COMMON_TRAINING,
					...TRAINER_DEFAULTS[method.trainer as Trainer],
					...req.hyperparameters[method.trainer as Trainer],
					class_prompt: `a ${subject.classNoun}`,
					...req.training
				},
				sampling: {
					...PAPER_SAMPLING,
					...req.sampling,
					prompts: [
						...new Map(
							templates.map((t) => {
								const p = expandPrompt(t, subject.identifier, subject.classNoun);
								return [p.prompt, p];
							})
						).values()
					],
					seeds: Array.from({ length: req.seedsPerPrompt }, (_, i) => i)
				},
				metrics: segmentationFor(req.metrics, captions),
				attention_maps: req.attentionMaps
			};
			const parsed = runPayload.safeParse(payload);
			if (!parsed.success) {
				const i = parsed.error.issues[0];
				problems.push(`${subject.name} / ${method.name}: ${i.path.join('.')}: ${i.message}.`);
				continue;
			}
			planned.push({
				payload: parsed.data,
				methodId: method.id,
				subjectId: subject.id,
				slot: req.methodIds.indexOf(method.id)
			});
		}
	}
	if (problems.length) refuseGeneration(`Nothing was started. ${problems.join(' ')}`);

	return db.transaction(async (tx) => {
		const ids: string[] = [];
		for (const p of planned) {
			const job = await enqueue(tx as unknown as Db, {
				kind: 'dreambooth_run',
				queue: 'gpu',
				payload: p.payload,
				maxAttempts: 3,
				dedupeKey: `generation:${req.requestId}:${p.subjectId}:${p.methodId}`
			});
			const runId = (job.payload as RunPayload).run_id;
			ids.push(runId);
			if (runId !== p.payload.run_id) continue; // the same form submitted again
			await tx.insert(runs).values({
				id: runId,
				methodId: p.methodId,
				subjectId: p.subjectId,
				source: 'gpu',
				state: 'queued',
				jobId: job.id,
				config: {
					batch: req.requestId,
					/** The method's position in the form (A = 0, the baseline): the gallery's left column. */
					slot: p.slot,
					createdBy,
					description_case: p.payload.description_case,
					training: p.payload.training,
					sampling: p.payload.sampling,
					metrics: p.payload.metrics,
					attention_maps: p.payload.attention_maps
				}
			});
		}
		return ids;
	});
}

const RUN_STATE_OF_JOB = sql`(case ${jobs.state} when 'queued' then 'queued' when 'running' then 'running' when 'done' then 'done' when 'cancelled' then 'cancelled' else 'failed' end)::run_state`;

/** Mirrors each GPU job's state onto its run (runs.state is what other areas read). */
export async function syncRunStates(db: Db): Promise<void> {
	await db
		.update(runs)
		.set({
			state: RUN_STATE_OF_JOB,
			finishedAt: sql`case when ${jobs.state} in ('done', 'failed', 'dead', 'cancelled') then coalesce(${jobs.finishedAt}, now()) else null end`
		})
		.from(jobs)
		.where(
			and(
				eq(runs.jobId, jobs.id),
				eq(runs.source, 'gpu'),
				sql`${runs.state} is distinct from ${RUN_STATE_OF_JOB}`
			)
		);
}

async function jobOf(db: Db, runId: string): Promise<string | null> {
	const [row] = await db
		.select({ jobId: runs.jobId })
		.from(runs)
		.where(and(eq(runs.id, runId), eq(runs.source, 'gpu')));
	return row?.jobId ?? null;
}

/** Queued runs stop at once; running ones when their worker reaches the next step. */
export async function cancelRun(db: Db, runId: string): Promise<boolean> {
	const jobId = await jobOf(db, runId);
	if (!jobId) return false;
	await cancel(db, jobId);
	await syncRunStates(db);
	return true;
}

/** Failed or cancelled runs go back to the queue with fresh attempts. */
export async function retryRun(db: Db, runId: string): Promise<boolean> {
	const jobId = await jobOf(db, runId);
	if (!jobId) return false;
	await retry(db, jobId);
	await syncRunStates(db);
	return true;
}

/** What the runs list shows, newest first. */
export async function listRuns(db: Db, limit = 200) {
	await syncRunStates(db);
	const sampleCounts = db
		.select({ runId: samples.runId, n: count().as('n') })
		.from(samples)
		.groupBy(samples.runId)
		.as('sample_counts');
	const rows = await db
		.select({
			id: runs.id,
			subjectId: runs.subjectId,
			subject: subjects.name,
			method: methods.name,
			methodId: runs.methodId,
			trainer: methods.trainer,
			state: runs.state,
			config: runs.config,
			metrics: runs.metrics,
			createdAt: runs.createdAt,
			finishedAt: runs.finishedAt,
			jobState: jobs.state,
			attempts: jobs.attempts,
			maxAttempts: jobs.maxAttempts,
			progress: jobs.progress,
			lastError: jobs.lastError,
			worker: jobs.lockedBy,
			cancelRequested: jobs.cancelRequested,
			leaseExpiresAt: jobs.leaseExpiresAt,
			samples: sql<number>`coalesce(${sampleCounts.n}, 0)`.mapWith(Number)
		})
		.from(runs)
		.innerJoin(subjects, eq(subjects.id, runs.subjectId))
		.innerJoin(methods, eq(methods.id, runs.methodId))
		.leftJoin(jobs, eq(jobs.id, runs.jobId))
		.leftJoin(sampleCounts, eq(sampleCounts.runId, runs.id))
		.where(eq(runs.source, 'gpu'))
		.orderBy(desc(runs.createdAt))
		.limit(limit);
	return rows.map(({ config, ...r }) => {
		const sampling = config?.sampling as { prompts?: unknown[]; seeds?: unknown[] } | undefined;
		const hp = hyperparametersOf(config?.training);
		return {
			...r,
			/** The method's own hyperparameters this run trained with, in one line. */
			settings: hp ? describeHyperparameters(hp, r.trainer as Trainer) : null,
			batch: (config?.batch as string | undefined) ?? null,
			expectedSamples: (sampling?.prompts?.length ?? 0) * (sampling?.seeds?.length ?? 0),
			leaseExpired:
				r.jobState === 'running' && !!r.leaseExpiresAt && r.leaseExpiresAt.getTime() < Date.now()
		};
	});
}
export type RunListItem = Awaited<ReturnType<typeof listRuns>>[number];

/** Subjects with their image counts, for the form. */
export async function subjectsForForm(db: Db) {
	return db
		.select({
			id: subjects.id,
			name: subjects.name,
			classNoun: subjects.classNoun,
			kind: subjects.kind,
			images: count(referenceImages.id)
		})
		.from(subjects)
		.leftJoin(referenceImages, eq(referenceImages.subjectId, subjects.id))
		.groupBy(subjects.id)
		.orderBy(subjects.name);
}
