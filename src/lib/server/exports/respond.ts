/** Streaming download responses for the export endpoints. */
import type { Db } from '../db';
import type { Study } from '../db/schema';
import type { ExclusionRules } from '../results/answers';
import { bundleEntries, logExport, responsesCsv, responsesJsonl } from './bundle';
import { toReadableStream } from './stream';
import { zipStream } from '../archives/zip-writer';
import { recordAudit } from '../audit/trail';

const TYPES = {
	csv: 'text/csv; charset=utf-8; header=present',
	jsonl: 'application/x-ndjson; charset=utf-8',
	bundle: 'application/zip'
} as const;

/** Logs the export (committed first), then streams it as an attachment. */
export async function exportResponse(
	db: Db,
	study: Study,
	userId: string,
	format: keyof typeof TYPES,
	opts: { rules: ExclusionRules; hashExternalIds: boolean }
): Promise<Response> {
	await logExport(db, study, userId, format, opts);
	await recordAudit(db, {
		actorId: userId,
		action: 'study.export',
		target: `study:${study.slug}`,
		detail: { format, hashExternalIds: opts.hashExternalIds }
	});
	const source =
		format === 'csv'
			? responsesCsv(db, study, opts)
			: format === 'jsonl'
				? responsesJsonl(db, study, opts)
				: zipStream(bundleEntries(db, study, opts));
	const ext = format === 'bundle' ? 'zip' : format;
	const name = `${study.slug}-${format === 'bundle' ? 'bundle' : 'responses'}.${ext}`;
	return new Response(toReadableStream(source), {
		headers: {
			'content-type': TYPES[format],
			'content-disposition': `attachment; filename="${name}"`,
			'cache-control': 'no-store',
			'x-content-type-options': 'nosniff'
		}
	});
}
