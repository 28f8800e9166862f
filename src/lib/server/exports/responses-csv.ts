/**
 * responses.csv formatted by the database itself: PostgreSQL streams it with
 * `COPY (…) TO STDOUT (FORMAT csv)`, PGlite writes it page by page with `COPY … TO '/dev/blob'`.
 * The row-by-row path (`exportRows` + `csvLines`) stays the reference and feeds JSON Lines;
 * responses-csv.test.ts proves both produce the same bytes, hostile strings included.
 *
 * The same rules as `csvCell`: text that a spreadsheet would run as a formula gets a leading
 * apostrophe (done here in SQL); COPY then quotes fields holding a comma, quote, CR or LF and
 * doubles inner quotes, as RFC 4180 asks. Two differences of COPY are undone: it quotes empty
 * strings (so empty text becomes NULL, which it writes as an empty field) and it ends records
 * with LF (turned into CRLF outside quoted fields, `crlf`).
 */
import { PGlite } from '@electric-sql/pglite';
import postgres, { type Sql } from 'postgres';
import type { Db } from '../db';
import type { Study } from '../db/schema';
import { ANSWER_JOINS, RESPONSE_COLUMNS, type ExportOptions } from './responses';

/** A SQL string literal (standard_conforming_strings: only quotes need doubling). */
const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Text as csvCell writes it before quoting: formula starts neutralised, empty as NULL. */
const text = (e: string) =>
	`nullif(case when left(${e}, 1) in ('=', '+', '-', '@', chr(9), chr(13)) then '''' || ${e} else ${e} end, '')`;
const iso = (e: string) => `to_char(${e} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const bool = (e: string) => `case when ${e} then 'true' else 'false' end`;

/**
 * The external_id column. Hashed: the first 16 hex digits of sha256("<study id>:<id>"), as
 * `hashExternalId` computes it; one expression so the recipe is changed in one place.
 */
function externalIdSql(study: Study, hashed: boolean): string {
	if (!hashed) return text('p.external_id');
	return `substr(encode(sha256(convert_to(${lit(study.id)} || ':' || p.external_id, 'UTF8')), 'hex'), 1, 16)`;
}

/** The query behind COPY: the columns of RESPONSE_COLUMNS, in order, as text. */
export function responsesCsvQuery(study: Study, opts: ExportOptions, participantsWhere = 'true') {
	const r = opts.rules;
	const attention =
		r.attention === 'any'
			? 'p.attention_fails >= 1'
			: r.attention === 'prolific'
				? 'p.attention_fails >= 2'
				: 'false';
	const reasons = `concat_ws(';',
		case when ${r.incomplete} and p.completed_at is null then 'incomplete' end,
		case when ${attention} then 'attention' end,
		case when ${r.speeders} and p.speeder then 'speeder' end)`;
	const columns: Record<string, string> = {
		study: text(lit(study.slug)),
		response_id: 'r.id::text',
		participant: text('p.pseudonym'),
		external_id: 'p.external_id_out',
		subject: text('sub.name'),
		prompt: text('i.prompt'),
		item: 'i.id::text',
		screen: 'a.position::text',
		question: text('r.question'),
		left_method: text('lm.name'),
		right_method: text('rm.name'),
		choice: text(`coalesce(cm.name, 'undecided')`),
		position_chosen: 'r.choice::text',
		time_on_question_ms: 'r.client_ms::text',
		answered_at: iso('r.received_at'),
		participant_started_at: iso('p.started_at'),
		participant_completed_at: iso('p.completed_at'),
		flag_incomplete: bool('p.completed_at is null'),
		flag_speeder: bool('coalesce(p.speeder, false)'),
		attention_fails: 'p.attention_fails::text',
		excluded: bool(`p.reasons <> ''`),
		excluded_reasons: text('p.reasons')
	};
	const select = RESPONSE_COLUMNS.map((c) => {
		if (!(c.name in columns)) throw new Error(`responses-csv: no SQL for column ${c.name}`);
		return `${columns[c.name]} as "${c.name}"`;
	});
	// Per participant once (materialized: inlined, these would run for every answer row).
	return `with counted as materialized (
			select p.*, (select count(*) from responses r join assignments a on a.id = r.assignment_id
				where a.participant_id = p.id and r.question = 'attention'
				and r.choice <> ${lit(study.attentionAnswer)}::choice)::int as attention_fails
			from participants p
			where p.study_id = ${lit(study.id)}::uuid and not p.preview and ${participantsWhere}),
		p as materialized (
			select p.*, ${externalIdSql(study, opts.hashExternalIds)} as external_id_out,
				${reasons} as reasons
			from counted p)
		select ${select.join(',\n')}
		from p
		join assignments a on a.participant_id = p.id
		${ANSWER_JOINS}
		order by p.id, a.position, r.question`;
}

const LF = 10;
const CR = 13;
const QUOTE = 34;

/** LF record ends (outside quoted fields) to CRLF; the quote state carries across chunks. */
export function crlf() {
	let quoted = false;
	return (chunk: Uint8Array): Uint8Array => {
		const start = quoted;
		let lfs = 0;
		for (let i = 0; i < chunk.length; i++) {
			const c = chunk[i];
			if (c === QUOTE) quoted = !quoted;
			else if (c === LF && !quoted) lfs++;
		}
		if (lfs === 0) return chunk;
		const out = new Uint8Array(chunk.length + lfs);
		let q = start;
		let j = 0;
		for (let i = 0; i < chunk.length; i++) {
			const c = chunk[i];
			if (c === QUOTE) q = !q;
			else if (c === LF && !q) out[j++] = CR;
			out[j++] = c;
		}
		return out;
	};
}

function rawClient(db: Db): unknown {
	return (db as { $client?: unknown }).$client;
}

/**
 * COPY runs on a connection of its own, opened with the pool's settings and closed after:
 * a pool connection that had served a streamed COPY hung the next query sent on it (seen
 * in bench/export-bench.ts), and a long download should not hold one of the pool's slots.
 */
async function* copyPostgres(pool: Sql, query: string): AsyncGenerator<Uint8Array> {
	const o = pool.options;
	const client = postgres({
		host: o.host[0],
		port: o.port[0],
		path: o.path || undefined,
		database: o.database,
		user: o.user,
		pass: o.pass ?? undefined,
		ssl: o.ssl,
		max: 1,
		onnotice: () => {}
	});
	try {
		const fix = crlf();
		const stream = await client
			.unsafe(`copy (${query}) to stdout with (format csv, header)`)
			.readable();
		for await (const chunk of stream) yield fix(chunk as Uint8Array);
	} finally {
		await client.end({ timeout: 5 });
	}
}

/** PGlite keeps a COPY's output in memory: one page of participants at a time keeps it small. */
async function* copyPglite(
	pg: PGlite,
	study: Study,
	opts: ExportOptions
): AsyncGenerator<Uint8Array> {
	const fix = crlf();
	const pageSize = opts.pageSize ?? 250;
	let after = '00000000-0000-0000-0000-000000000000';
	let header = true;
	for (;;) {
		const page = await pg.query<{ id: string }>(
			`select id from participants where study_id = $1 and not preview and id > $2
			order by id limit $3`,
			[study.id, after, pageSize]
		);
		if (page.rows.length === 0 && !header) return;
		const last = page.rows.at(-1)?.id;
		const where = last ? `p.id > ${lit(after)}::uuid and p.id <= ${lit(last)}::uuid` : 'false';
		const res = await pg.query(
			`copy (${responsesCsvQuery(study, opts, where)}) to '/dev/blob' with (format csv${header ? ', header' : ''})`
		);
		if (res.blob) yield fix(new Uint8Array(await res.blob.arrayBuffer()));
		header = false;
		if (!last) return;
		after = last;
	}
}

/**
 * responses.csv as byte chunks, formatted by the database; undefined when the database is
 * neither (the caller then uses the row-by-row path).
 */
export function copyResponsesCsv(
	db: Db,
	study: Study,
	opts: ExportOptions
): AsyncGenerator<Uint8Array> | undefined {
	const client = rawClient(db);
	if (client instanceof PGlite) return copyPglite(client, study, opts);
	if (typeof client === 'function' && 'unsafe' in client) {
		return copyPostgres(client as Sql, responsesCsvQuery(study, opts));
	}
	return undefined;
}
