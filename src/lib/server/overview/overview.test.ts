import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import { subjectWithImages, smallRequest } from '../testing/worker-api';
import { seedStudyFixture } from '../testing/studies';
import type { Database } from '../db';
import { captions, methods, referenceImages, studies, workerTokens } from '../db/schema';
import { createWorkerToken } from '../workers/tokens';
import { createComparisonRuns } from '../generation/runs';
import { createStudy, setStudyMethods } from '../studies/studies';
import { projectOverview } from '.';

const noVlm = { vlmConfigured: false };
const withVlm = { vlmConfigured: true };

describe.each(DB_KINDS)('the project overview on %s', (kind) => {
	let d: Database;
	beforeAll(async () => {
		d = await freshDatabase(kind);
	});
	// One database per kind; each case starts from an empty project.
	beforeEach(async () => {
		await d.db.execute(
			sql`truncate subjects, methods, studies, worker_tokens, jobs, blobs restart identity cascade`
		);
	});
	afterAll(async () => d?.close());

	const kinds = async (env = noVlm) =>
		(await projectOverview(d.db, env)).warnings.map((w) => w.kind);

	async function seenWorker(minutesAgo: number) {
		const { row } = await createWorkerToken(d.db, 'cluster-a', null);
		await d.db.execute(
			sql`update worker_tokens set last_seen_at = now() - make_interval(mins => ${minutesAgo}) where id = ${row.id}`
		);
	}

	async function approveAll() {
		const refs = await d.db.select({ id: referenceImages.id }).from(referenceImages);
		for (const r of refs)
			await d.db
				.insert(captions)
				.values({ referenceImageId: r.id, status: 'approved', sid: 'a sks dog on grass' })
				.onConflictDoUpdate({ target: captions.referenceImageId, set: { status: 'approved' } });
	}

	it('points an empty project at adding subjects', async () => {
		const o = await projectOverview(d.db, noVlm);
		expect(o.next).toEqual({ label: 'Add subjects', href: '/admin/subjects' });
		expect(o.steps.map((s) => s.key)).toEqual([
			'subjects',
			'captions',
			'runs',
			'studies',
			'results'
		]);
		expect(o.steps[0]).toMatchObject({
			state: 'todo',
			facts: ['0 subjects', '0 reference images']
		});
	});

	it('warns when no VLM is configured, counting the images left without a draft', async () => {
		await subjectWithImages(d.db, 'dog', 3);
		const o = await projectOverview(d.db, noVlm);
		const w = o.warnings.find((x) => x.kind === 'no-vlm');
		expect(w?.message).toContain('3 reference images cannot get a SID draft');
		expect(w?.fix).toContain('OPENAI_API_KEY');
		expect(o.steps[1]).toMatchObject({ state: 'blocked', action: null });
		expect(await kinds(withVlm)).not.toContain('no-vlm');
		// With a VLM, drafting is the next thing to do, on the subject that needs it.
		expect((await projectOverview(d.db, withVlm)).next?.label).toBe('Draft SIDs');
	});

	it('warns when no worker called recently, and says queued runs will wait', async () => {
		expect(await kinds()).toContain('no-worker');
		await seenWorker(1);
		expect(await kinds()).not.toContain('no-worker');
		await d.db.execute(sql`update worker_tokens set last_seen_at = now() - interval '10 minutes'`);
		expect(await kinds()).toContain('no-worker');

		const { subject, baseline } = await subjectWithImages(d.db, 'dog');
		await createComparisonRuns(
			d.db,
			smallRequest({ subjectIds: [subject.id], methodIds: [baseline.id] }),
			null
		);
		const o = await projectOverview(d.db, noVlm);
		expect(o.warnings.find((w) => w.kind === 'no-worker')?.message).toContain(
			'1 queued run will wait'
		);
		expect(o.steps[2]).toMatchObject({ state: 'blocked', facts: ['DreamBooth: 1 queued'] });
		const withUrl = await projectOverview(d.db, { ...noVlm, appUrl: 'https://sid.example.org' });
		expect(withUrl.warnings.find((w) => w.kind === 'no-worker')?.command).toBe(
			'SID_WORKER_TOKEN=<token> sid-gpu worker --app-url https://sid.example.org'
		);
	});

	it('a revoked token does not count as a connected worker', async () => {
		await seenWorker(0);
		await d.db.update(workerTokens).set({ revokedAt: new Date() });
		expect(await kinds()).toContain('no-worker');
	});

	it('warns about a GPU method in use whose caption case nobody chose', async () => {
		// An older database: a study named the method before names were marked as imported.
		await d.db.insert(methods).values({ name: 'Custom recipe', trainer: 'dreambooth' });
		expect(await kinds()).not.toContain('method-without-case');
		const study = await createStudy(d.db, { title: 'Old', slug: 'old' });
		await d.db.execute(
			sql`insert into study_methods (study_id, method_id, position)
				select ${study.id}, id, 0 from methods where name = 'Custom recipe'`
		);
		const w = (await projectOverview(d.db, noVlm)).warnings.find(
			(x) => x.kind === 'method-without-case'
		);
		expect(w?.message).toContain('“Custom recipe” has no chosen caption case');
		// Methods a study names today are images made elsewhere, never GPU recipes.
		await setStudyMethods(d.db, study.id, ['Elsewhere A', 'Elsewhere B']);
		const named = await d.db
			.select()
			.from(methods)
			.where(sql`${methods.name} like 'Elsewhere%'`);
		expect(named.map((m) => m.trainer)).toEqual(['import', 'import']);
		expect(
			(await projectOverview(d.db, noVlm)).warnings.filter((x) => x.kind === 'method-without-case')
		).toHaveLength(0);
	});

	it('warns that SID runs would be refused while no subject is fully approved', async () => {
		await subjectWithImages(d.db, 'dog', 2);
		const w = (await projectOverview(d.db, noVlm)).warnings.find(
			(x) => x.kind === 'method-captions-missing'
		);
		expect(w?.message).toContain('“DreamBooth + SID”');
		expect(w?.message).toContain('train on Case 3 · SID captions');
		await approveAll();
		expect(await kinds()).not.toContain('method-captions-missing');
	});

	it('warns about a study with too few items, and is quiet once it has enough', async () => {
		await createStudy(d.db, { title: 'Empty', slug: 'empty' });
		let o = await projectOverview(d.db, noVlm);
		expect(o.warnings.find((w) => w.kind === 'study-too-few-items')?.message).toBe(
			'Study “Empty” has no items: participants would have nothing to compare.'
		);
		await d.db.execute(sql`delete from studies`);
		await seedStudyFixture(d.db, { subjects: 3, slug: 'small', subjectsPerParticipant: 5 });
		o = await projectOverview(d.db, noVlm);
		expect(o.warnings.find((w) => w.kind === 'study-too-few-items')?.message).toContain(
			'has items for 3 subjects, but each participant should see 5'
		);
		await d.db.update(studies).set({ subjectsPerParticipant: 3 });
		expect(await kinds()).not.toContain('study-too-few-items');
	});

	it('with no VLM and no worker, leads to a study of imported images, then to it live', async () => {
		await subjectWithImages(d.db, 'dog', 2);
		let o = await projectOverview(d.db, noVlm);
		expect(o.next).toEqual({ label: 'Create a study', href: '/admin/studies' });
		const study = await createStudy(d.db, { title: 'Mine', slug: 'mine' });
		o = await projectOverview(d.db, noVlm);
		expect(o.next).toEqual({
			label: 'Add comparison images to “Mine”',
			href: `/admin/studies/${study.id}`
		});
		await d.db.execute(sql`delete from studies`);
		const fixture = await seedStudyFixture(d.db, { subjects: 2, slug: 'open-one' });
		o = await projectOverview(d.db, noVlm);
		expect(o.steps[3].state).toBe('done');
		expect(o.next?.href).toBe(`/admin/studies/${fixture.id}/live`);
	});
});
