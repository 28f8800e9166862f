import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { eq, sum } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import { makeImage } from '../testing/images';
import { startFakeVlm, USAGE, type FakeVlm } from '../testing/fake-vlm';
import type { Database } from '../db';
import { captions, jobs, referenceImages, vlmCalls, type Job } from '../db/schema';
import { resetConfig } from '../config';
import { LocalDiskStore, useBlobStore } from '../blobs/store';
import { addReferenceImages, createSubject } from '../subjects/subjects';
import { JobRunner } from '../jobs';
import { DRAFT_JOB, queueDrafts, runDraftJob } from './drafting';
import { vlmUsageTotals } from './usage';
import { queueExpressionSuggestion, runExpressionJob } from './expression';
import type { VlmSettings } from './client';
import { currentInstruction } from './instructions';

const TERMINAL = new Set(['done', 'failed', 'dead', 'cancelled']);

async function waitForJobs(d: Database, ms = 60_000): Promise<Job[]> {
	const end = Date.now() + ms;
	for (;;) {
		const all = await d.db.select().from(jobs).where(eq(jobs.kind, DRAFT_JOB));
		if (all.length && all.every((j) => TERMINAL.has(j.state))) return all;
		if (Date.now() > end) throw new Error(`jobs still open: ${all.map((j) => j.state).join(',')}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

describe.each(DB_KINDS)('VLM drafting against a local OpenAI-compatible server on %s', (kind) => {
	let d: Database;
	let fake: FakeVlm;
	const ids = new Map<string, string>();

	beforeAll(async () => {
		const dir = mkdtempSync(join(tmpdir(), 'sid-vlm-'));
		process.env.DATA_DIR = dir;
		resetConfig();
		useBlobStore(new LocalDiskStore(join(dir, 'blobs')));
		d = await freshDatabase(kind);
		fake = await startFakeVlm({
			dog: ['ok'],
			cat: ['429', 'ok'],
			boot: ['500', '500', 'ok'],
			vase: ['hang', 'ok'],
			clock: ['refuse'],
			candle: ['malformed'],
			can: ['badshape']
		});
		for (const [i, noun] of ['dog', 'cat', 'boot', 'vase', 'clock', 'candle', 'can'].entries()) {
			const s = await createSubject(d.db, {
				name: `subject-${noun}`,
				classNoun: noun,
				identifier: 'sks',
				kind: noun === 'dog' || noun === 'cat' ? 'live' : 'object'
			});
			// 1600 px wide, so the 1024 px variant is what must be sent.
			const bytes = await sharp(await makeImage('png', 64, { r: 10 * i, g: 100, b: 50 }))
				.resize(1600, 1200)
				.png()
				.toBuffer();
			await addReferenceImages(d.db, s.id, [{ name: `${noun}.png`, bytes }]);
			ids.set(noun, s.id);
		}
	}, 60_000);

	afterAll(async () => {
		await fake?.close();
		await d?.close();
		useBlobStore(undefined);
		delete process.env.DATA_DIR;
		resetConfig();
	});

	it(
		'ends every scripted reply as designed and adds up the tokens',
		{ timeout: 90_000 },
		async () => {
			const settings: VlmSettings = {
				apiKey: 'test-key',
				baseURL: fake.url,
				model: 'test-vision-1',
				timeoutMs: 800
			};
			await queueDrafts(d.db, { subjectIds: [...ids.values()] });
			// A second click queues nothing new: every image already has an open job.
			await queueDrafts(d.db, { subjectIds: [...ids.values()] });
			const runner = new JobRunner(d.db, { leaseSeconds: 30, pollMs: 50 }).register(DRAFT_JOB, {
				concurrency: 4,
				run: (ctx) => runDraftJob(d.db, ctx, settings)
			});
			runner.start();
			const all = await waitForJobs(d);
			await runner.stop();
			expect(all).toHaveLength(7);

			const byNoun = async (noun: string) => {
				const [row] = await d.db
					.select({ caption: captions, image: referenceImages })
					.from(referenceImages)
					.innerJoin(captions, eq(captions.referenceImageId, referenceImages.id))
					.where(eq(referenceImages.subjectId, ids.get(noun)!));
				const job = all.find(
					(j) => (j.payload as { referenceImageId: string }).referenceImageId === row.image.id
				)!;
				return { ...row, job, requests: fake.requests.filter((r) => r.classNoun === noun) };
			};

			// Normal: one call; the reply is a structure and cases 2-4 are composed from it in code.
			const dog = await byNoun('dog');
			expect(dog.job.state).toBe('done');
			expect(dog.requests).toHaveLength(1);
			expect(dog.caption.status).toBe('review');
			expect(dog.caption.sid).toBe(
				'a sks dog sitting on a blue velvet sofa, next to a red striped cushion'
			);
			expect(dog.caption.caseTwo).toBe('a sks dog sitting on a sofa, next to a cushion');
			expect(dog.caption.caseFour).toBe(
				'a sks dog that is a fluffy dog, sitting on a blue velvet sofa, next to a red striped cushion'
			);
			expect(dog.caption.structure?.objects.map((o) => o.name)).toEqual(['a sofa', 'a cushion']);
			expect(dog.caption.flags).toEqual([]);
			expect(dog.caption.model).toBe('test-vision-1');
			const sent = dog.requests[0].body as {
				model: string;
				response_format: { type: string };
				messages: { content: { type: string; image_url?: { url: string } }[] }[];
			};
			expect(sent.model).toBe('test-vision-1');
			expect(sent.response_format.type).toBe('json_schema');
			// The default preset is the paper's instruction, sent with [v] and the class filled in.
			expect(JSON.stringify(sent.messages)).toContain(
				'Please start the sentence with \\"A sks dog\\". You should not describe the dog itself.'
			);
			expect(dog.caption.instructionId).toBe((await currentInstruction(d.db, 'paper')).id);
			const url = sent.messages[0].content.find((c) => c.type === 'image_url')!.image_url!.url;
			expect(url.startsWith('data:image/webp;base64,')).toBe(true);
			const meta = await sharp(Buffer.from(url.split(',')[1], 'base64')).metadata();
			expect(meta.width).toBe(1024);

			// 429: exactly two requests (no hidden SDK retry), the second after Retry-After (1 s).
			const cat = await byNoun('cat');
			expect(cat.job.state).toBe('done');
			expect(cat.requests).toHaveLength(2);
			expect(cat.requests[1].at - cat.requests[0].at).toBeGreaterThanOrEqual(900);
			expect(cat.job.attempts).toBe(2);

			// 500, 500, ok: retried by the queue with backoff, three requests in all.
			const boot = await byNoun('boot');
			expect(boot.job.state).toBe('done');
			expect(boot.requests).toHaveLength(3);
			expect(boot.job.attempts).toBe(3);
			expect(boot.caption.status).toBe('review');

			// A hang past the timeout: the call is abandoned and retried.
			const vase = await byNoun('vase');
			expect(vase.job.state).toBe('done');
			expect(vase.requests).toHaveLength(2);
			expect(vase.caption.sid).toContain('a sks vase');

			// Refusal, malformed JSON, wrong shape: one call each, a clear error on the image.
			for (const [noun, msg] of [
				['clock', /refused/],
				['candle', /not valid JSON/],
				['can', /does not match the SID schema/]
			] as const) {
				const r = await byNoun(noun);
				expect(r.job.state, noun).toBe('failed');
				expect(r.requests, noun).toHaveLength(1);
				expect(r.caption.status, noun).toBe('failed');
				expect(r.caption.draftError, noun).toMatch(msg);
			}

			// Tokens: every answered 200 reply carries USAGE; 429/500/timeouts bill nothing.
			const answered = 4 + 3; // four drafts plus refusal, malformed, wrong shape
			const totals = await vlmUsageTotals(d.db);
			expect(totals.calls).toBe(fake.requests.length);
			expect(totals.totalTokens).toBe(answered * USAGE.total_tokens);
			expect(totals.promptTokens + totals.completionTokens).toBe(totals.totalTokens);
			const [{ s }] = await d.db.select({ s: sum(vlmCalls.totalTokens) }).from(vlmCalls);
			expect(Number(s)).toBe(totals.totalTokens);
		}
	);

	it('suggests a facial expression without touching the caption version', async () => {
		const [img] = await d.db
			.select()
			.from(referenceImages)
			.where(eq(referenceImages.subjectId, ids.get('dog')!));
		const [before] = await d.db
			.select()
			.from(captions)
			.where(eq(captions.referenceImageId, img.id));
		const job = await queueExpressionSuggestion(d.db, img.id);
		const settings: VlmSettings = {
			apiKey: 'k',
			baseURL: fake.url,
			model: 'test-vision-1',
			timeoutMs: 2000
		};
		expect(
			await runExpressionJob(d.db, { job, signal: new AbortController().signal }, settings)
		).toEqual({
			suggested: 'with its tongue out'
		});
		const [after] = await d.db.select().from(captions).where(eq(captions.referenceImageId, img.id));
		expect(after.suggestedExpression).toBe('with its tongue out');
		expect(after.version).toBe(before.version);
		expect(after.expression).toBeNull();
	});

	it('does not call the VLM again for images that already have a draft', async () => {
		const before = fake.requests.length;
		const queued = await queueDrafts(d.db, { subjectIds: [ids.get('dog')!] });
		expect(queued).toBe(0);
		expect(fake.requests.length).toBe(before);
	});
});
