import type { Warning } from '$lib/overview/types';
import { caseLabel, isCaseNumber } from '$lib/captions/cases';
import { TRAINERS } from '../generation/payload';
import { WORKER_SEEN_MINUTES, type MethodCounts, type ProjectCounts } from './counts';

export interface Environment {
	/** OPENAI_API_KEY is set. */
	vlmConfigured: boolean;
	/** The app's public URL, for the worker command. */
	appUrl?: string;
}

const plural = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;

export const VLM_FIX =
	'Set OPENAI_API_KEY (and OPENAI_BASE_URL and VLM_MODEL for a self-hosted OpenAI-compatible server such as vLLM or Ollama), then restart the app.';

export const WORKER_FIX =
	'Create a token under Workers (it is shown once), then start a worker on a GPU machine with:';

/** The command that starts a worker against this app; the token is the one just created. */
export function workerCommand(appUrl: string): string {
	return `SID_WORKER_TOKEN=<token> sid-gpu worker --app-url ${appUrl}`;
}

const trainable = (m: MethodCounts) => (TRAINERS as readonly string[]).includes(m.trainer);

function vlmWarning(c: ProjectCounts, env: Environment): Warning[] {
	if (env.vlmConfigured) return [];
	const undrafted = c.captions.images - c.captions.drafted[3];
	return [
		{
			kind: 'no-vlm',
			message:
				undrafted > 0
					? `No VLM is configured: ${plural(undrafted, 'reference image')} cannot get a SID draft.`
					: 'No VLM is configured: new reference images cannot get SID drafts.',
			fix: VLM_FIX,
			link: { label: 'How drafting works', href: '/admin/vlm' }
		}
	];
}

function workerWarning(c: ProjectCounts, env: Environment): Warning[] {
	if (c.workers.seenRecently > 0) return [];
	const waiting = c.queuedGpuJobs
		? ` ${plural(c.queuedGpuJobs, 'queued run')} will wait until one connects.`
		: ' Runs you queue will wait until one connects.';
	return [
		{
			kind: 'no-worker',
			message: `No GPU worker has called in the last ${WORKER_SEEN_MINUTES} minutes.${waiting}`,
			fix: WORKER_FIX,
			command: workerCommand(env.appUrl ?? '<this app’s URL>'),
			link: { label: 'Create a worker token', href: '/admin/workers' }
		}
	];
}

/**
 * A GPU method whose caption case was never chosen (a study or an import named it; the column
 * has no default) or is not one of the paper's four cannot be trained: runs of it are refused;
 * a case-2-4 method with no fully approved subject would have every run refused too.
 */
function methodWarnings(c: ProjectCounts): Warning[] {
	const out: Warning[] = [];
	const gpu = c.methods.filter(trainable);
	// Unused rows without a case stay quiet: nothing trains them until a study compares them.
	const caseless = gpu.filter((m) =>
		m.descriptionCase === null
			? m.inUse
			: !isCaseNumber(m.descriptionCase) || (m.inUse && m.description === '')
	);
	if (caseless.length) {
		const names = caseless.map((m) => `“${m.name}”`).join(', ');
		out.push({
			kind: 'method-without-case',
			message: `${caseless.length === 1 ? 'Method' : 'Methods'} ${names} ${caseless.length === 1 ? 'has' : 'have'} no chosen caption case (${caseLabel(caseless[0].descriptionCase)}): its runs are refused until it has one.`,
			fix: 'Give the method a caption case (1-4) and a description, or compare a method that has one.',
			link: { label: 'Generation methods', href: '/admin/generation' }
		});
	}
	const unready = gpu.filter(
		(m) => !caseless.includes(m) && (m.descriptionCase ?? 0) > 1 && c.subjects > 0
	);
	if (unready.length && c.captions.subjectsApproved === 0) {
		// One warning per caption case: five SID methods waiting on the same approvals are one blocker.
		for (const dc of [...new Set(unready.map((m) => m.descriptionCase))]) {
			const waiting = unready.filter((m) => m.descriptionCase === dc);
			const names = waiting.map((m) => `“${m.name}”`).join(', ');
			out.push({
				kind: 'method-captions-missing',
				message: `${waiting.length === 1 ? 'Method' : 'Methods'} ${names} ${waiting.length === 1 ? 'trains' : 'train'} on ${caseLabel(dc)} captions, but no subject has every reference image approved: ${waiting.length === 1 ? 'its' : 'their'} runs would be refused.`,
				fix: 'Draft the SIDs and approve them in the review queue.',
				link: { label: 'Review queue', href: '/annotate' }
			});
		}
	}
	return out;
}

/** A participant is given `subjectsPerParticipant` subjects, one item each. */
function studyWarnings(c: ProjectCounts): Warning[] {
	const out: Warning[] = [];
	for (const s of c.studies.filter((s) => s.state !== 'closed')) {
		if (s.itemSubjects >= s.subjectsPerParticipant) continue;
		out.push({
			kind: 'study-too-few-items',
			message:
				s.items === 0
					? `Study “${s.title}” has no items: participants would have nothing to compare.`
					: `Study “${s.title}” has items for ${plural(s.itemSubjects, 'subject')}, but each participant should see ${s.subjectsPerParticipant}.`,
			fix: 'Import generated images or build items from finished runs, or lower the subjects per participant.',
			link: { label: `Open “${s.title}”`, href: `/admin/studies/${s.id}` }
		});
	}
	return out;
}

/** Everything that blocks the path right now, in the order the path meets it. */
export function projectWarnings(c: ProjectCounts, env: Environment): Warning[] {
	return [
		...vlmWarning(c, env),
		...methodWarnings(c),
		...workerWarning(c, env),
		...studyWarnings(c)
	];
}
