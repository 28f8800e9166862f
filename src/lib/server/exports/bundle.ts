/** The study bundle: responses, items, samples manifest, run configs, study settings, codebook. */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db';
import { exportLog, type Study } from '../db/schema';
import type { ExclusionRules } from '../results/answers';
import { studyMethodRefs } from '../results';
import { analysisPy, analysisR } from './analysis-scripts';
import { codebook } from './codebook';
import { csvLines } from './csv';
import { jsonLines } from './jsonl';
import { copyResponsesCsv } from './responses-csv';
import {
	exportRecord,
	exportRows,
	RESPONSE_COLUMNS,
	type ExportOptions,
	type ExportRecord
} from './responses';
import type { ZipEntry } from '../archives/zip-writer';

/** Records who took which data; committed before the first byte is sent. */
export async function logExport(
	db: Db,
	study: Study,
	userId: string,
	format: 'csv' | 'jsonl' | 'bundle',
	opts: { rules: ExclusionRules; hashExternalIds: boolean }
) {
	await db.insert(exportLog).values({
		studyId: study.id,
		userId,
		format,
		hashedExternalIds: opts.hashExternalIds,
		rules: opts.rules
	});
}

/** Formatted by the database where it can (responses-csv.ts), else row by row. */
export function responsesCsv(
	db: Db,
	study: Study,
	opts: ExportOptions
): AsyncIterable<string | Uint8Array> {
	return copyResponsesCsv(db, study, opts) ?? responsesCsvRows(db, study, opts);
}

/** The reference path: one `exportRows` record at a time through `csvCell`. */
export function responsesCsvRows(db: Db, study: Study, opts: ExportOptions) {
	return csvLines(
		RESPONSE_COLUMNS.map((c) => ({ name: c.name, value: (r: ExportRecord) => c.value(r, study) })),
		exportRows(db, study, opts)
	);
}

export function responsesJsonl(db: Db, study: Study, opts: ExportOptions) {
	return jsonLines(exportRows(db, study, opts), (r) => exportRecord(r, study));
}

async function* query<T>(db: Db, q: ReturnType<typeof sql>): AsyncGenerator<T> {
	yield* await queryRows<T>(db, q);
}

/** Items and samples are bounded by the study design (not by participants), so one query each. */
function itemsCsv(db: Db, study: Study) {
	type Row = {
		id: string;
		subject: string;
		prompt: string;
		sampleA: string;
		methodA: string;
		sampleB: string;
		methodB: string;
	};
	return csvLines<Row>(
		[
			{ name: 'item', value: (r) => r.id },
			{ name: 'subject', value: (r) => r.subject },
			{ name: 'prompt', value: (r) => r.prompt },
			{ name: 'sample_a', value: (r) => r.sampleA },
			{ name: 'method_a', value: (r) => r.methodA },
			{ name: 'sample_b', value: (r) => r.sampleB },
			{ name: 'method_b', value: (r) => r.methodB }
		],
		query<Row>(
			db,
			sql`select i.id, sub.name as subject, i.prompt, sa.id as "sampleA", ma.name as "methodA",
				sb.id as "sampleB", mb.name as "methodB"
			from items i join subjects sub on sub.id = i.subject_id
			join samples sa on sa.id = i.sample_a_id join runs ra on ra.id = sa.run_id join methods ma on ma.id = ra.method_id
			join samples sb on sb.id = i.sample_b_id join runs rb on rb.id = sb.run_id join methods mb on mb.id = rb.method_id
			where i.study_id = ${study.id}::uuid order by sub.name, i.prompt, i.id`
		)
	);
}

function samplesCsv(db: Db, study: Study) {
	type Row = {
		id: string;
		run: string;
		method: string;
		subject: string;
		prompt: string;
		seed: number;
		sha256: string;
		metrics: unknown;
	};
	return csvLines<Row>(
		[
			{ name: 'sample', value: (r) => r.id },
			{ name: 'run', value: (r) => r.run },
			{ name: 'method', value: (r) => r.method },
			{ name: 'subject', value: (r) => r.subject },
			{ name: 'prompt', value: (r) => r.prompt },
			{ name: 'seed', value: (r) => r.seed },
			{ name: 'image_sha256', value: (r) => r.sha256 },
			{ name: 'metrics_json', value: (r) => (r.metrics ? JSON.stringify(r.metrics) : null) }
		],
		query<Row>(
			db,
			sql`select s.id, s.run_id as run, m.name as method, sub.name as subject, s.prompt, s.seed,
				s.blob_sha256 as sha256, s.metrics
			from samples s join runs r on r.id = s.run_id join methods m on m.id = r.method_id
			join subjects sub on sub.id = r.subject_id
			where s.id in (select sample_a_id from items where study_id = ${study.id}::uuid
				union select sample_b_id from items where study_id = ${study.id}::uuid)
			order by sub.name, m.name, s.prompt, s.seed`
		)
	);
}

/** Runs with their training settings: the descriptions (SIDs) a GPU run trained on live in its config. */
function runsJsonl(db: Db, study: Study) {
	return jsonLines(
		query<Record<string, unknown>>(
			db,
			sql`select r.id as run, m.name as method, m.description_case as "descriptionCase",
				sub.name as subject, sub.class_noun as "classNoun", sub.identifier, r.source, r.state,
				r.config, r.metrics
			from runs r join methods m on m.id = r.method_id join subjects sub on sub.id = r.subject_id
			where r.id in (select s.run_id from samples s join items i on s.id in (i.sample_a_id, i.sample_b_id)
				where i.study_id = ${study.id}::uuid)
			order by sub.name, m.name`
		)
	);
}

/** study.json: the settings, the pair's methods in order (what `npm run analyze` reads) and the rules. */
async function* studyJson(db: Db, study: Study, opts: ExportOptions) {
	const methods = await studyMethodRefs(db, study.id);
	const settings = {
		...study,
		methods: methods.map(({ name, position }) => ({ name, position })),
		exportedAt: new Date().toISOString(),
		exclusionRules: opts.rules
	};
	yield JSON.stringify(settings, null, 2) + '\n';
}

/** The analysis scripts need the pair's names, which only the database knows. */
async function* script(db: Db, study: Study, write: (a: string, b: string) => string) {
	const [a, b] = await studyMethodRefs(db, study.id);
	yield write(a?.name ?? 'A', b?.name ?? 'B');
}

export function bundleEntries(db: Db, study: Study, opts: ExportOptions): ZipEntry[] {
	const dir = `${study.slug}/`;
	return [
		{ name: `${dir}README.md`, data: codebook(study, opts) },
		{ name: `${dir}responses.csv`, data: responsesCsv(db, study, opts) },
		{ name: `${dir}items.csv`, data: itemsCsv(db, study) },
		{ name: `${dir}samples.csv`, data: samplesCsv(db, study) },
		{ name: `${dir}runs.jsonl`, data: runsJsonl(db, study) },
		{ name: `${dir}study.json`, data: studyJson(db, study, opts) },
		{ name: `${dir}analysis.R`, data: script(db, study, analysisR) },
		{ name: `${dir}analysis.py`, data: script(db, study, analysisPy) }
	];
}
