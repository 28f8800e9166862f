import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db';

/** A worker that has called the app within this many minutes counts as connected. */
export const WORKER_SEEN_MINUTES = 5;

export interface CaptionCounts {
	images: number;
	/** Images with a draft for case 2, 3 (SID) and 4. */
	drafted: { 2: number; 3: number; 4: number };
	inReview: number;
	flagged: number;
	approved: number;
	rejected: number;
	failed: number;
	/** Subjects whose every reference image is approved (cases 2-4 can be trained). */
	subjectsApproved: number;
	/** A subject with an image that has no draft yet, for the "draft" link. */
	firstUndraftedSubjectId: string | null;
}

export interface MethodCounts {
	id: string;
	name: string;
	trainer: string;
	/** Null when no case was ever chosen (training such a method is refused). */
	descriptionCase: number | null;
	/** Empty when the row was created by name only (a study or an import named it). */
	description: string;
	/** Compared by a study or has runs. */
	inUse: boolean;
	runs: Record<'queued' | 'running' | 'done' | 'failed' | 'cancelled', number>;
	importedRuns: number;
}

export interface StudyCounts {
	id: string;
	title: string;
	slug: string;
	state: 'draft' | 'open' | 'paused' | 'closed';
	standInImages: boolean;
	subjectsPerParticipant: number;
	items: number;
	itemSubjects: number;
	participants: number;
	completed: number;
	answers: number;
}

export interface ProjectCounts {
	subjects: number;
	captions: CaptionCounts;
	methods: MethodCounts[];
	studies: StudyCounts[];
	workers: WorkerPresence;
	queuedGpuJobs: number;
}

const n = (v: unknown) => Number(v ?? 0);

async function captionCounts(db: Db): Promise<CaptionCounts> {
	const [c] = await queryRows<Record<string, unknown>>(
		db,
		sql`select count(r.id) as images,
			count(c.case_two) as d2, count(c.sid) as d3, count(c.case_four) as d4,
			count(*) filter (where c.status = 'review') as in_review,
			count(*) filter (where c.status = 'review' and jsonb_array_length(c.flags) > 0) as flagged,
			count(*) filter (where c.status = 'approved') as approved,
			count(*) filter (where c.status = 'rejected') as rejected,
			count(*) filter (where c.status = 'failed') as failed
		from reference_images r left join captions c on c.reference_image_id = r.id`
	);
	const [s] = await queryRows<Record<string, unknown>>(
		db,
		sql`select count(*) as n from (
			select r.subject_id from reference_images r left join captions c on c.reference_image_id = r.id
			group by r.subject_id having bool_and(c.status is not distinct from 'approved')) t`
	);
	const [first] = await queryRows<{ id: string }>(
		db,
		sql`select s.id from subjects s
			where exists (select 1 from reference_images r left join captions c on c.reference_image_id = r.id
				where r.subject_id = s.id and c.sid is null and c.status is distinct from 'failed')
			order by s.name limit 1`
	);
	return {
		images: n(c.images),
		drafted: { 2: n(c.d2), 3: n(c.d3), 4: n(c.d4) },
		inReview: n(c.in_review),
		flagged: n(c.flagged),
		approved: n(c.approved),
		rejected: n(c.rejected),
		failed: n(c.failed),
		subjectsApproved: n(s.n),
		firstUndraftedSubjectId: first?.id ?? null
	};
}

async function methodCounts(db: Db): Promise<MethodCounts[]> {
	const rows = await queryRows<Record<string, unknown>>(
		db,
		sql`select m.id, m.name, m.trainer, m.description_case, m.description,
			exists (select 1 from study_methods sm where sm.method_id = m.id) as in_study,
			count(r.id) filter (where r.source = 'gpu' and r.state = 'queued') as queued,
			count(r.id) filter (where r.source = 'gpu' and r.state = 'running') as running,
			count(r.id) filter (where r.source = 'gpu' and r.state = 'done') as done,
			count(r.id) filter (where r.source = 'gpu' and r.state = 'failed') as failed,
			count(r.id) filter (where r.source = 'gpu' and r.state = 'cancelled') as cancelled,
			count(r.id) filter (where r.source = 'import') as imported
		from methods m left join runs r on r.method_id = m.id
		group by m.id order by m.created_at, m.name`
	);
	return rows.map((r) => {
		const runs = {
			queued: n(r.queued),
			running: n(r.running),
			done: n(r.done),
			failed: n(r.failed),
			cancelled: n(r.cancelled)
		};
		const total = Object.values(runs).reduce((a, b) => a + b, 0) + n(r.imported);
		return {
			id: String(r.id),
			name: String(r.name),
			trainer: String(r.trainer),
			descriptionCase: r.description_case === null ? null : n(r.description_case),
			description: String(r.description ?? ''),
			inUse: r.in_study === true || total > 0,
			runs,
			importedRuns: n(r.imported)
		};
	});
}

async function studyCounts(db: Db): Promise<StudyCounts[]> {
	const rows = await queryRows<Record<string, unknown>>(
		db,
		sql`select s.id, s.title, s.slug, s.state::text as state, s.stand_in_images,
			s.subjects_per_participant,
			(select count(*) from items i where i.study_id = s.id) as items,
			(select count(distinct i.subject_id) from items i where i.study_id = s.id) as item_subjects,
			(select count(*) from participants p where p.study_id = s.id and not p.preview
				and p.started_at is not null) as participants,
			(select count(*) from participants p where p.study_id = s.id and not p.preview
				and p.completed_at is not null) as completed,
			(select count(*) from responses r join assignments a on a.id = r.assignment_id
				join participants p on p.id = a.participant_id
				where p.study_id = s.id and not p.preview) as answers
		from studies s order by s.created_at`
	);
	return rows.map((r) => ({
		id: String(r.id),
		title: String(r.title),
		slug: String(r.slug),
		state: r.state as StudyCounts['state'],
		standInImages: r.stand_in_images === true,
		subjectsPerParticipant: n(r.subjects_per_participant),
		items: n(r.items),
		itemSubjects: n(r.item_subjects),
		participants: n(r.participants),
		completed: n(r.completed),
		answers: n(r.answers)
	}));
}

export interface WorkerPresence {
	/** Tokens not revoked. */
	tokens: number;
	/** Of them, how many called within WORKER_SEEN_MINUTES. */
	seenRecently: number;
	lastSeenAt: string | null;
}

/** Whether any GPU worker is calling in: runs queued without one wait until one does. */
export async function workerPresence(db: Db): Promise<WorkerPresence> {
	const [w] = await queryRows<Record<string, unknown>>(
		db,
		sql`select count(*) filter (where revoked_at is null) as tokens,
			count(*) filter (where revoked_at is null
				and last_seen_at >= now() - make_interval(mins => ${WORKER_SEEN_MINUTES})) as seen,
			max(last_seen_at) filter (where revoked_at is null) as last_seen
		from worker_tokens`
	);
	return {
		tokens: n(w.tokens),
		seenRecently: n(w.seen),
		lastSeenAt: w.last_seen ? new Date(w.last_seen as string).toISOString() : null
	};
}

/** Every figure the overview needs, in a few aggregate queries. */
export async function projectCounts(db: Db): Promise<ProjectCounts> {
	const [[s], captions, methods, studies, workers, [q]] = await Promise.all([
		queryRows<Record<string, unknown>>(db, sql`select count(*) as n from subjects`),
		captionCounts(db),
		methodCounts(db),
		studyCounts(db),
		workerPresence(db),
		queryRows<Record<string, unknown>>(
			db,
			sql`select count(*) as n from jobs where queue = 'gpu' and state = 'queued'`
		)
	]);
	return {
		subjects: n(s.n),
		captions,
		methods,
		studies,
		workers,
		queuedGpuJobs: n(q.n)
	};
}
