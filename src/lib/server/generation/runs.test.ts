import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import { smallRequest, subjectWithImages } from '../testing/worker-api';
import type { Database } from '../db';
import { jobs, methods, runs } from '../db/schema';
import { listGpuMethods, SID_METHOD } from './methods';
import { createComparisonRuns, listRuns } from './runs';
import { Refusal } from '../http/refusal';
import { runPayload } from './payload';

describe.each(DB_KINDS)('creating generation runs on %s', (kind) => {
	let d: Database;
	beforeAll(async () => {
		d = await freshDatabase(kind);
	});
	afterAll(async () => d.close());

	const counts = async () => ({
		runs: (await d.db.select({ n: count() }).from(runs))[0].n,
		jobs: (await d.db.select({ n: count() }).from(jobs))[0].n
	});

	it('gives a method another area created by name only the recipe its name means', async () => {
		// As a study does when it names its two methods before any run exists.
		await d.db.insert(methods).values({ name: SID_METHOD });
		await d.db
			.insert(methods)
			.values({ name: 'Textual Inversion', descriptionCase: 2, description: 'configured' });
		const listed = await listGpuMethods(d.db);
		expect(listed.find((m) => m.name === SID_METHOD)).toMatchObject({
			trainer: 'dreambooth',
			descriptionCase: 3
		});
		expect(listed.find((m) => m.name === 'Textual Inversion')).toMatchObject({
			descriptionCase: 2,
			description: 'configured'
		});
	});

	it('refuses SID runs while captions are not approved, and starts nothing at all', async () => {
		const { subject, baseline, sid } = await subjectWithImages(d.db, `unapproved-${kind}`);
		const before = await counts();
		const attempt = createComparisonRuns(
			d.db,
			smallRequest({ subjectIds: [subject.id], methodIds: [baseline.id, sid.id] }),
			null
		);
		await expect(attempt).rejects.toThrow(Refusal);
		await expect(attempt).rejects.toThrow(
			new RegExp(
				`Nothing was started\\. unapproved-${kind}: "DreamBooth \\+ SID" .*not all .*approved`
			)
		);
		expect(await counts()).toEqual(before);
	});

	it('builds the paper setup with the 25 DreamBooth prompts by default', async () => {
		const { subject, baseline } = await subjectWithImages(d.db, `defaults-${kind}`, 3);
		const [runId] = await createComparisonRuns(
			d.db,
			{
				...smallRequest({ subjectIds: [subject.id], methodIds: [baseline.id] }),
				prompts: undefined,
				training: {},
				hyperparameters: {},
				sampling: {},
				metrics: 'auto',
				seedsPerPrompt: 4
			},
			null
		);
		const [run] = await d.db.select().from(runs).where(eq(runs.id, runId));
		const [job] = await d.db.select().from(jobs).where(eq(jobs.id, run.jobId!));
		expect(job.queue).toBe('gpu');
		expect(job.kind).toBe('dreambooth_run');
		const payload = runPayload.parse(job.payload);
		expect(payload.run_id).toBe(runId);
		expect(payload.description_case).toBe(1);
		expect(payload.reference_images).toHaveLength(3);
		expect(payload.reference_images.every((r) => r.caption === 'a sks dog')).toBe(true);
		expect(payload.sampling.prompts).toHaveLength(25);
		expect(payload.sampling.prompts).toContainEqual({
			prompt: 'a sks dog in the snow',
			prompt_without_identifier: 'a dog in the snow'
		});
		expect(payload.sampling.seeds).toEqual([0, 1, 2, 3]);
		expect(payload.sampling).toMatchObject({ num_inference_steps: 50, guidance_scale: 7.5 });
		expect(payload.training).toMatchObject({
			model: 'stabilityai/stable-diffusion-2-1-base',
			steps: 1000,
			learning_rate: 2e-6,
			batch_size: 1,
			train_text_encoder: true,
			prior_preservation: true,
			class_prompt: 'a dog'
		});
		// No uploaded masks: the subject segments come from Grounded-SAM.
		expect(payload.metrics).toMatchObject({ enabled: true, segmentation: 'grounded_sam' });
		const listed = (await listRuns(d.db)).find((r) => r.id === runId)!;
		expect(listed).toMatchObject({ state: 'queued', expectedSamples: 100, samples: 0 });
	});

	it('gives each method its own hyperparameters, recorded in the run and listed', async () => {
		const { subject } = await subjectWithImages(d.db, `hp-${kind}`);
		const all = await listGpuMethods(d.db);
		const lora = all.find((m) => m.name === 'LoRA DreamBooth')!;
		const cd = all.find((m) => m.name === 'Custom Diffusion')!;
		expect([lora.trainer, cd.trainer]).toEqual(['lora', 'custom_diffusion']);
		const base = smallRequest();
		const ids = await createComparisonRuns(
			d.db,
			smallRequest({
				subjectIds: [subject.id],
				methodIds: [lora.id, cd.id],
				hyperparameters: { ...base.hyperparameters, lora: { steps: 3, lora_rank: 8 } }
			}),
			null
		);
		const payloads = new Map<string, ReturnType<typeof runPayload.parse>>();
		for (const id of ids) {
			const [run] = await d.db.select().from(runs).where(eq(runs.id, id));
			const [job] = await d.db.select().from(jobs).where(eq(jobs.id, run.jobId!));
			const payload = runPayload.parse(job.payload);
			payloads.set(payload.method, payload);
			expect(run.config?.training).toEqual(payload.training);
		}
		expect(payloads.get('lora')!.training).toMatchObject({
			steps: 3,
			learning_rate: 1e-4,
			lora_rank: 8,
			learning_rate_1d: null,
			prior_preservation: false,
			resolution: 32
		});
		expect(payloads.get('custom_diffusion')!.training).toMatchObject({
			steps: 2,
			learning_rate: 1e-5,
			batch_size: 2,
			scale_lr: true,
			prior_preservation: true,
			num_class_images: 2,
			lora_rank: null
		});
		const listed = (await listRuns(d.db)).filter((r) => ids.includes(r.id));
		expect(listed.map((r) => r.settings).sort()).toEqual([
			'lr 1e-4 · 3 steps · batch 1 · rank 8',
			'lr 1e-5 (scaled 4e-5) · 2 steps · batch 2 · prior ×1 (2)'
		]);
	});

	it('creates the runs once when the same form is submitted twice', async () => {
		const { subject, baseline } = await subjectWithImages(d.db, `twice-${kind}`);
		const req = smallRequest({ subjectIds: [subject.id], methodIds: [baseline.id] });
		const [a, b] = await Promise.all([
			createComparisonRuns(d.db, req, null),
			createComparisonRuns(d.db, req, null)
		]);
		expect(b).toEqual(a);
		const mine = await d.db.select().from(runs).where(eq(runs.subjectId, subject.id));
		expect(mine).toHaveLength(1);
	});

	it('refuses settings the worker would reject, with a message', async () => {
		const { subject, baseline } = await subjectWithImages(d.db, `bad-${kind}`);
		const attempt = createComparisonRuns(
			d.db,
			smallRequest({
				subjectIds: [subject.id],
				methodIds: [baseline.id],
				training: { resolution: 30 }
			}),
			null
		);
		await expect(attempt).rejects.toThrow(
			/training\.resolution: The resolution is a multiple of 8/
		);
	});
});
