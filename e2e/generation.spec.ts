import { createHash } from 'node:crypto';
import { expect, test, type APIRequestContext } from '@playwright/test';
import sharp from 'sharp';
import { ADMIN, login, screenshot } from './helpers';

/**
 * The admin side of GPU generation, with a stand-in worker that speaks the real worker
 * protocol over HTTP (no GPU here): tokens, the comparison form, live progress, the gallery.
 */

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function png(r: number, g: number, b: number): Promise<Buffer> {
	return sharp({ create: { width: 64, height: 64, channels: 3, background: { r, g, b } } })
		.png()
		.toBuffer();
}

interface Job {
	id: string;
	lease_id: string;
	payload: {
		method: string;
		sampling: { prompts: { prompt: string }[]; seeds: number[] };
	};
}

class StandInWorker {
	constructor(
		private request: APIRequestContext,
		private token: string
	) {}
	private headers = () => ({ authorization: `Bearer ${this.token}` });

	async claim(): Promise<Job> {
		const res = await this.request.post('/api/worker/claim', {
			headers: this.headers(),
			data: { worker_name: 'e2e-stand-in/0', kinds: ['dreambooth_run'], wait_seconds: 5 }
		});
		expect(res.status()).toBe(200);
		return (await res.json()).job;
	}

	async heartbeat(job: Job, stage: string, progress: number, message: string) {
		const res = await this.request.post(`/api/worker/jobs/${job.id}/heartbeat`, {
			headers: this.headers(),
			data: { lease_id: job.lease_id, stage, progress, message }
		});
		expect(res.status()).toBe(200);
		return res.json();
	}

	async put(job: Job, bytes: Buffer) {
		const res = await this.request.put(`/api/worker/blobs/${sha(bytes)}`, {
			headers: {
				...this.headers(),
				'content-type': 'image/png',
				'x-job-id': job.id,
				'x-lease-id': job.lease_id
			},
			data: bytes
		});
		expect([200, 201]).toContain(res.status());
		return sha(bytes);
	}

	async finish(job: Job, tint: number) {
		const samples = [];
		for (const [i, p] of job.payload.sampling.prompts.entries()) {
			for (const seed of job.payload.sampling.seeds) {
				const image = await this.put(job, await png(tint, 60 + 80 * i, 40 * seed));
				const map = await this.put(job, await png(255, 40 * seed, 0));
				samples.push({
					prompt: p.prompt,
					seed,
					sha256: image,
					metrics: {
						subject_alignment: 0.7 + tint / 2550,
						non_subject_disentanglement: 0.3,
						text_alignment: 0.25
					},
					attention_map_sha256: map
				});
			}
		}
		const res = await this.request.post(`/api/worker/jobs/${job.id}/complete`, {
			headers: this.headers(),
			data: {
				lease_id: job.lease_id,
				samples,
				run_metrics: {
					subject_alignment: 0.7 + tint / 2550,
					non_subject_disentanglement: 0.3,
					text_alignment: 0.25
				},
				training: { steps: 2, final_loss: 0.1, seconds: 1, losses: [0.2, 0.1] },
				sampling: { seconds: 1, images: samples.length }
			}
		});
		expect(res.status()).toBe(200);
	}
}

test('admins create worker tokens, start comparison runs, watch them and compare the samples', async ({
	page,
	request
}) => {
	await login(page, ADMIN.email, ADMIN.password);

	await page.goto('/admin/workers');
	await page.getByLabel('Name').fill('e2e-cluster');
	await page.getByRole('button', { name: 'Create token' }).click();
	const token = await page.getByTestId('worker-token').inputValue();
	expect(token).toMatch(/^sidw_/);
	await expect(page.getByRole('cell', { name: 'e2e-cluster', exact: true })).toBeVisible();
	await screenshot(page, 'workers');

	await page.goto('/admin/generation');
	// No worker has called yet: the page says so, and that queued runs wait for one.
	await expect(page.getByRole('note')).toContainText('No GPU worker has called');
	await page.getByRole('checkbox', { name: /^dog6 \(/ }).check();
	await page
		.getByLabel('Method A (baseline)')
		.selectOption({ label: 'DreamBooth · Case 1 · Baseline captions' });
	await page
		.getByLabel('Method B')
		.selectOption({ label: 'DreamBooth + SID · Case 3 · SID captions' });
	await page
		.getByRole('button', { name: 'Queue comparison runs (they wait for a worker)' })
		.click();
	await expect(page.getByRole('alert')).toContainText('not all of this subject');
	await expect(page.getByRole('alert')).toContainText('Nothing was started');
	await screenshot(page, 'generation-refused');

	await page
		.getByLabel('Method B')
		.selectOption({ label: 'Textual Inversion · Case 1 · Baseline captions' });
	await page.getByLabel('My own prompts').check();
	await page
		.getByLabel(/One per line/)
		.fill('a {identifier} {class} in the snow\na {identifier} {class} on the beach');
	await page.getByLabel('Seeds per prompt').fill('2');
	// Each chosen recipe shows its own hyperparameters with its own defaults.
	const db = page.locator('fieldset[data-trainer="dreambooth"]');
	const ti = page.locator('fieldset[data-trainer="textual_inversion"]');
	await expect(db.getByLabel('Learning rate', { exact: true })).toHaveValue('0.000002');
	await expect(ti.getByLabel('Learning rate', { exact: true })).toHaveValue('0.0005');
	await expect(ti.getByLabel('Accumulation', { exact: true })).toHaveValue('4');
	await expect(ti.getByLabel('Prior preservation', { exact: true })).toHaveCount(0);
	await db.getByLabel('Steps', { exact: true }).fill('2');
	await ti.getByLabel('Steps', { exact: true }).fill('2');
	await screenshot(page, 'generation-method-settings');
	await page.setViewportSize({ width: 390, height: 844 });
	await screenshot(page, 'generation-method-settings-phone');
	await page.setViewportSize({ width: 1280, height: 720 });
	await page
		.getByRole('button', { name: 'Queue comparison runs (they wait for a worker)' })
		.click();
	await expect(page.getByRole('alert')).toContainText(
		'Queued 2 runs. No GPU worker is connected: they wait in the queue until one calls in.'
	);
	const rows = page.getByTestId('runs').locator('tbody tr');
	await expect(rows).toHaveCount(2);
	await expect(page.getByTestId('runs')).toContainText(
		'lr 5e-4 (scaled 2e-3) · 2 steps · batch 1×4'
	);
	await expect(page.getByTestId('runs')).toContainText(
		'lr 2e-6 · 2 steps · batch 1 · text encoder · prior ×1 (200)'
	);
	await expect(rows.first()).toHaveAttribute('data-state', 'queued');

	const worker = new StandInWorker(request, token);
	const first = await worker.claim();
	const second = await worker.claim();
	await worker.heartbeat(first, 'training', 0.5, 'step 1/2, loss 0.150');
	// The list polls: progress shows without a reload.
	await expect(page.getByText('step 1/2, loss 0.150')).toBeVisible({ timeout: 10_000 });
	await expect(page.locator('tr[data-state="running"]')).toHaveCount(2);
	await screenshot(page, 'generation-running');

	await worker.finish(first, 200);
	await worker.finish(second, 30);
	await expect(page.locator('tr[data-state="done"]')).toHaveCount(2, { timeout: 20_000 });
	await expect(page.locator('tr[data-state="done"]').first()).toContainText('4 / 4');

	await page
		.locator('tr[data-state="done"]')
		.first()
		.getByRole('link', { name: 'Compare' })
		.click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('vs');
	await expect(page.getByTestId('pair')).toHaveCount(4);
	// Each run's own hyperparameters sit above its pictures.
	await expect(page.locator('tr.settings')).toContainText('lr 2e-6 · 2 steps');
	await expect(page.locator('tr.settings')).toContainText('lr 5e-4 (scaled 2e-3) · 2 steps');
	await expect(page.getByText('“a sks dog in the snow”')).toBeVisible();
	await expect(page.getByText(/No study compares/)).toBeVisible();
	// Method A of the form (DreamBooth) is on the left, whichever run was opened.
	await expect(page.getByRole('heading', { level: 1 })).toContainText(
		'DreamBooth vs Textual Inversion'
	);
	await expect(page.getByTestId('pair').first().locator('figcaption').first()).toContainText(
		'DreamBooth'
	);
	const loaded = async () =>
		page
			.locator('img')
			.evaluateAll((imgs) =>
				imgs.every(
					(i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0
				)
			);
	for (const img of await page.locator('img').all()) await img.scrollIntoViewIfNeeded();
	await expect.poll(loaded).toBe(true);
	await screenshot(page, 'generation-gallery');
	const before = await page.getByTestId('pair').first().locator('img').first().getAttribute('src');
	await page.getByLabel(/cross-attention maps/).check();
	const after = await page.getByTestId('pair').first().locator('img').first().getAttribute('src');
	expect(after).not.toBe(before);
	await expect.poll(loaded).toBe(true);
	await screenshot(page, 'generation-gallery-attention');

	// Cancel and retry from the list.
	await page.goto('/admin/generation');
	await page.getByRole('checkbox', { name: /^cat \(/ }).check();
	await page
		.getByLabel('Method B')
		.selectOption({ label: 'Textual Inversion · Case 1 · Baseline captions' });
	await page.getByRole('button', { name: 'Generate comparison images' }).click();
	await expect(page.getByRole('alert')).toContainText('Queued 2 runs.');
	const queued = page.locator('tr[data-state="queued"]').first();
	await queued.getByRole('button', { name: 'Cancel' }).click();
	await expect(page.locator('tr[data-state="cancelled"]')).toHaveCount(1);
	await page.locator('tr[data-state="cancelled"]').getByRole('button', { name: 'Retry' }).click();
	await expect(page.locator('tr[data-state="cancelled"]')).toHaveCount(0);
	await expect(page.locator('tr[data-state="queued"]')).toHaveCount(2);
});
