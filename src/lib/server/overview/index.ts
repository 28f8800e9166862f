import type { Link, Overview, Step } from '$lib/overview/types';
import type { Db } from '../db';
import { config } from '../config';
import { projectCounts, type ProjectCounts } from './counts';
import { projectWarnings, type Environment } from './warnings';

export { WORKER_SEEN_MINUTES, workerPresence, type WorkerPresence } from './counts';
export { VLM_FIX, WORKER_FIX, workerCommand } from './warnings';

const share = (part: number, whole: number) => (whole > 0 ? Math.min(1, part / whole) : null);
const plural = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;

function subjectsStep(c: ProjectCounts): Step {
	const ready = c.subjects > 0 && c.captions.images > 0;
	return {
		key: 'subjects',
		title: 'Subjects and reference images',
		state: ready ? 'done' : 'todo',
		facts: [plural(c.subjects, 'subject'), plural(c.captions.images, 'reference image')],
		progress: null,
		action: ready
			? { label: 'Manage subjects', href: '/admin/subjects' }
			: { label: 'Add subjects', href: '/admin/subjects' }
	};
}

function captionsStep(c: ProjectCounts, env: Environment): Step {
	const k = c.captions;
	const facts = [
		`drafted: ${k.drafted[2]} object classes · ${k.drafted[3]} SID · ${k.drafted[4]} subject described (of ${k.images})`,
		`${k.inReview} in review (${k.flagged} flagged) · ${k.approved} approved · ${k.rejected} rejected · ${k.failed} failed`
	];
	let state: Step['state'] = 'done';
	let action: Link | null = { label: 'Review queue', href: '/annotate' };
	if (k.images === 0) {
		state = 'todo';
		action = null;
	} else if (k.drafted[3] + k.failed < k.images) {
		// Drafts already queued show their progress on the subject page the link opens.
		state = env.vlmConfigured ? 'todo' : 'blocked';
		// Blocked: the warning carries the fix; a link to an empty review queue would mislead.
		action = null;
		if (env.vlmConfigured && k.firstUndraftedSubjectId)
			action = { label: 'Draft SIDs', href: `/admin/subjects/${k.firstUndraftedSubjectId}` };
	} else if (k.inReview > 0 || k.approved < k.images) {
		state = 'todo';
		action = { label: 'Review SIDs', href: '/annotate' };
	}
	return {
		key: 'captions',
		title: 'SID captions',
		state,
		facts,
		progress: share(k.approved, k.images),
		action
	};
}

function runsStep(c: ProjectCounts): Step {
	const sum = (f: (r: ProjectCounts['methods'][number]) => number) =>
		c.methods.reduce((a, m) => a + f(m), 0);
	const done = sum((m) => m.runs.done);
	const active = sum((m) => m.runs.queued + m.runs.running);
	const imported = sum((m) => m.importedRuns);
	const all = done + active + sum((m) => m.runs.failed + m.runs.cancelled);
	const facts = c.methods
		.filter((m) => m.inUse)
		.map((m) => {
			const parts = Object.entries(m.runs)
				.filter(([, v]) => v > 0)
				.map(([k, v]) => `${v} ${k}`);
			if (m.importedRuns) parts.push(`${m.importedRuns} imported`);
			return `${m.name}: ${parts.join(' · ') || 'no runs'}`;
		});
	let state: Step['state'] = done + imported > 0 ? 'done' : 'todo';
	if (active > 0) state = c.workers.seenRecently > 0 ? 'waiting' : 'blocked';
	else if (state === 'todo' && c.workers.seenRecently === 0) state = 'blocked';
	return {
		key: 'runs',
		title: 'Trained runs and samples',
		state,
		facts: facts.length ? facts : ['no runs yet'],
		progress: share(done, all),
		action: { label: 'Generate comparison images', href: '/admin/generation' }
	};
}

function studiesStep(c: ProjectCounts): Step {
	const open = c.studies.filter((s) => s.state === 'open');
	const draft = c.studies.find((s) => s.state === 'draft');
	let action: Link = { label: 'Create a study', href: '/admin/studies' };
	if (draft)
		action =
			draft.itemSubjects > 0
				? { label: `Open “${draft.title}”`, href: `/admin/studies/${draft.id}` }
				: {
						label: `Add comparison images to “${draft.title}”`,
						href: `/admin/studies/${draft.id}`
					};
	else if (open.length)
		action = { label: `Watch “${open[0].title}” live`, href: `/admin/studies/${open[0].id}/live` };
	return {
		key: 'studies',
		title: 'Studies',
		state: open.length ? 'done' : 'todo',
		facts: c.studies.length
			? c.studies.map(
					(s) =>
						`${s.title}${s.standInImages ? ' [stand-in images]' : ''}: ${s.state} · ${plural(s.items, 'item')} · ${plural(s.participants, 'participant')} (${s.completed} completed) · ${plural(s.answers, 'answer')}`
				)
			: ['no studies yet'],
		progress: null,
		action
	};
}

function resultsStep(c: ProjectCounts): Step {
	const answered = c.studies.filter((s) => s.answers > 0);
	return {
		key: 'results',
		title: 'Results (Table B.2)',
		state: answered.length
			? 'done'
			: c.studies.some((s) => s.state === 'open')
				? 'waiting'
				: 'todo',
		facts: answered.length
			? answered.map((s) => `${s.title}: ${plural(s.answers, 'answer')} to analyse`)
			: ['no answers yet'],
		progress: null,
		action: answered.length
			? {
					label: `Results of “${answered[0].title}”`,
					href: `/admin/studies/${answered[0].id}/results`
				}
			: null
	};
}

/**
 * The next action is the first step with work to do now. Blocked steps are skipped, so a
 * project with no VLM and no worker is pointed at what it can do (a study of imported
 * images) while the warnings say what unblocks the rest. With nothing left to do, it follows
 * what is under way: the results, else the open study's live view.
 */
function nextAction(steps: Step[]): Link | null {
	const todo = steps.find((s) => s.state === 'todo' && s.action);
	if (todo) return todo.action;
	const results = steps.find((s) => s.key === 'results');
	if (results?.action) return results.action;
	const studies = steps.find((s) => s.key === 'studies');
	return studies?.state === 'done' ? studies.action : null;
}

/** What the running app can reach, from its environment. */
export function appEnvironment(appUrl?: string): Environment {
	return { vlmConfigured: !!config().OPENAI_API_KEY, appUrl };
}

/** Where the project stands, what to do next, and what blocks the path. */
export async function projectOverview(db: Db, env: Environment): Promise<Overview> {
	const c = await projectCounts(db);
	const steps = [
		subjectsStep(c),
		captionsStep(c, env),
		runsStep(c),
		studiesStep(c),
		resultsStep(c)
	];
	return {
		steps,
		next: nextAction(steps),
		warnings: projectWarnings(c, env),
		countedAt: new Date().toISOString()
	};
}
