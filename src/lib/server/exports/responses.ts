/** The tidy responses export: one row per answer, streamed in pages of participants. */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db';
import type { Study } from '../db/schema';
import { exclusionReasons, type ExclusionRules, type ParticipantRow } from '../results/answers';
import type { CellValue } from './csv';

export interface ExportRow {
	responseId: string;
	participantId: string;
	pseudonym: string;
	externalId: string | null;
	completedAt: string | null;
	speeder: boolean | null;
	attentionFails: number;
	subject: string;
	itemId: string;
	prompt: string;
	position: number;
	question: string;
	leftMethod: string;
	rightMethod: string;
	choice: 'left' | 'right' | 'undecided';
	chosenMethod: string | null;
	clientMs: number;
	startedAt: string | null;
	receivedAt: string;
}

export interface ExportOptions {
	rules: ExclusionRules;
	/** false: the raw external id (e.g. PROLIFIC_PID) instead of its hash. */
	hashExternalIds: boolean;
	/** Participants per page: bounds memory at about pageSize × answers per participant rows. */
	pageSize?: number;
}

/** From an assignment to its answers, item, subject and the methods shown and chosen: the
 * one join both response exports (rows here, COPY in responses-csv.ts) read through. */
export const ANSWER_JOINS = `join responses r on r.assignment_id = a.id
	join items i on i.id = a.item_id
	join subjects sub on sub.id = i.subject_id
	join samples ls on ls.id = a.left_sample_id join runs lr on lr.id = ls.run_id
	join methods lm on lm.id = lr.method_id
	join samples rs on rs.id = a.right_sample_id join runs rr on rr.id = rs.run_id
	join methods rm on rm.id = rr.method_id
	left join methods cm on cm.id = r.chosen_method_id`;

/**
 * External ids are personal data on Prolific and MTurk. By default they are
 * replaced by sha256("<study id>:<platform key>:<id>") cut to 16 hex digits
 * (the stored external id is "<platform key>:<id>", e.g. "PROLIFIC_PID:5f3c…";
 * the codebook documents this exact recipe, EXTERNAL_ID_RECIPE): stable
 * within a study (so a researcher holding the platform's list can still match
 * payments), different across studies, and not the id itself.
 */
export const EXTERNAL_ID_RECIPE =
	'first 16 hex digits of sha256("<study id>:<platform key>:<id>") over UTF-8 text';

export function hashExternalId(studyId: string, externalId: string): string {
	return createHash('sha256').update(`${studyId}:${externalId}`).digest('hex').slice(0, 16);
}

/**
 * Keyset pagination over the study's participants (by id), then one query
 * for all answers of the page. Each query is short and index-driven, so no
 * transaction or cursor is held open while a slow client downloads, and
 * memory stays at one page whatever the study size. Previews are never exported.
 */
export async function* exportRows(db: Db, study: Study, opts: ExportOptions) {
	const pageSize = opts.pageSize ?? 250;
	let after = '00000000-0000-0000-0000-000000000000';
	for (;;) {
		const page = await queryRows<ParticipantRow & { externalId: string | null }>(
			db,
			sql`select p.id, p.pseudonym, p.preview, p.external_id as "externalId",
				p.started_at as "startedAt", p.completed_at as "completedAt", p.speeder,
				(select count(*) from responses r join assignments a on a.id = r.assignment_id
					where a.participant_id = p.id and r.question = 'attention'
					and r.choice <> ${study.attentionAnswer}::choice)::int as "attentionFails",
				0 as answers
			from participants p
			where p.study_id = ${study.id}::uuid and not p.preview and p.id > ${after}::uuid
			order by p.id limit ${pageSize}`
		);
		if (page.length === 0) return;
		after = page[page.length - 1].id;
		const byId = new Map(page.map((p) => [p.id, p]));
		const rows = await queryRows<
			Omit<
				ExportRow,
				'pseudonym' | 'externalId' | 'completedAt' | 'speeder' | 'attentionFails' | 'startedAt'
			>
		>(
			db,
			sql`select r.id as "responseId", a.participant_id as "participantId", sub.name as subject,
				i.id as "itemId", i.prompt, a.position, r.question,
				lm.name as "leftMethod", rm.name as "rightMethod", r.choice, cm.name as "chosenMethod",
				r.client_ms as "clientMs", r.received_at as "receivedAt"
			from assignments a
			${sql.raw(ANSWER_JOINS)}
			where a.participant_id in (${sql.join(
				page.map((p) => sql`${p.id}::uuid`),
				sql`, `
			)})
			order by a.participant_id, a.position, r.question`
		);
		for (const r of rows) {
			const p = byId.get(r.participantId)!;
			yield {
				...r,
				pseudonym: p.pseudonym,
				externalId:
					p.externalId === null
						? null
						: opts.hashExternalIds
							? hashExternalId(study.id, p.externalId)
							: p.externalId,
				completedAt: p.completedAt,
				speeder: p.speeder,
				attentionFails: p.attentionFails,
				startedAt: p.startedAt,
				excludedReasons: exclusionReasons(p, opts.rules)
			};
		}
	}
}

export type ExportRecord = ExportRow & { excludedReasons: string[] };

const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());

/** The columns of responses.csv / .jsonl, each with its codebook entry. */
export const RESPONSE_COLUMNS: {
	name: string;
	description: string;
	value: (r: ExportRecord, study: Study) => CellValue;
}[] = [
	{ name: 'study', description: 'Study slug.', value: (_r, s) => s.slug },
	{
		name: 'response_id',
		description: 'Unique id of the answer (generated by the browser; retries never duplicate it).',
		value: (r) => r.responseId
	},
	{
		name: 'participant',
		description: 'Pseudonym of the participant, stable within the study (e.g. P-3F9A1C2B).',
		value: (r) => r.pseudonym
	},
	{
		name: 'external_id',
		description:
			'Recruitment platform id as "<platform key>:<id>" (platform key PROLIFIC_PID, workerId or pid). Hashed by default: ' +
			EXTERNAL_ID_RECIPE +
			' (see "Matching payments" below). Empty when none was given.',
		value: (r) => r.externalId
	},
	{ name: 'subject', description: 'Subject name.', value: (r) => r.subject },
	{
		name: 'prompt',
		description:
			'Generation prompt of both images, with the identifier token (e.g. "a sks dog in the snow").',
		value: (r) => r.prompt
	},
	{
		name: 'item',
		description:
			'Id of the comparison (subject, prompt, one sample of each method). Answers to the same item by different participants are the units of the agreement statistic.',
		value: (r) => r.itemId
	},
	{
		name: 'screen',
		description: "Position of the item in this participant's survey, from 0.",
		value: (r) => r.position
	},
	{
		name: 'question',
		description:
			'Question key: subject (subject alignment), disentanglement (non-subject disentanglement), text (text alignment), overall; attention for the attention check.',
		value: (r) => r.question
	},
	{
		name: 'left_method',
		description: 'Method of the image shown on the left (on phones: first).',
		value: (r) => r.leftMethod
	},
	{
		name: 'right_method',
		description: 'Method of the image shown on the right (on phones: second).',
		value: (r) => r.rightMethod
	},
	{
		name: 'choice',
		description: 'The method chosen, or "undecided" ("cannot determine / both equally").',
		value: (r) => r.chosenMethod ?? 'undecided'
	},
	{
		name: 'position_chosen',
		description: 'left, right or undecided: the screen side that was clicked.',
		value: (r) => r.choice
	},
	{
		name: 'time_on_question_ms',
		description:
			'Milliseconds between showing the question and the answer, measured in the browser.',
		value: (r) => r.clientMs
	},
	{
		name: 'answered_at',
		description: 'Server time the answer was stored (UTC, ISO 8601).',
		value: (r) => iso(r.receivedAt)
	},
	{
		name: 'participant_started_at',
		description: 'When the participant started (UTC).',
		value: (r) => iso(r.startedAt)
	},
	{
		name: 'participant_completed_at',
		description: 'When the participant completed (UTC); empty if they did not finish.',
		value: (r) => iso(r.completedAt)
	},
	{
		name: 'flag_incomplete',
		description: 'true if the participant did not complete the study.',
		value: (r) => r.completedAt === null
	},
	{
		name: 'flag_speeder',
		description:
			"true if the participant's median time per question was under the study's speeder threshold (set on completion).",
		value: (r) => r.speeder === true
	},
	{
		name: 'attention_fails',
		description: 'Number of attention checks the participant failed.',
		value: (r) => r.attentionFails
	},
	{
		name: 'excluded',
		description:
			'true if the results page\'s exclusion rules at export time exclude this participant (see "Exclusion rules" above).',
		value: (r) => r.excludedReasons.length > 0
	},
	{
		name: 'excluded_reasons',
		description: 'Why: any of incomplete, attention, speeder, separated by ";".',
		value: (r) => r.excludedReasons.join(';')
	}
];

export function exportRecord(r: ExportRecord, study: Study): Record<string, CellValue> {
	return Object.fromEntries(RESPONSE_COLUMNS.map((c) => [c.name, c.value(r, study)]));
}
