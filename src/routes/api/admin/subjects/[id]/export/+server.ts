import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { getSubject } from '$lib/server/subjects/subjects';
import { orRefusal } from '$lib/server/http/refusal';
import { captionTxtZip, datasetZip, exportRows, metadataJsonl } from '$lib/server/captions/exports';
import { toReadableStream } from '$lib/server/exports/stream';
import type { RequestHandler } from './$types';
import { recordAudit } from '$lib/server/audit/trail';

const query = z.object({
	case: z.coerce.number().int().min(1).max(4),
	format: z.enum(['dataset', 'jsonl', 'txt'])
});

/**
 * Training captions of one description case: `dataset` is a ZIP of the images and their
 * metadata.jsonl (loads with imagefolder, trains with `sid-gpu train`), `jsonl` the metadata
 * alone, `txt` a ZIP of per-image .txt files.
 */
export const GET: RequestHandler = async (event) => {
	const admin = requireRole(event, 'admin');
	const id = z.string().uuid().safeParse(event.params.id);
	const q = query.safeParse(Object.fromEntries(event.url.searchParams));
	if (!id.success) error(404, 'No such subject.');
	if (!q.success) error(400, 'Give case=1..4 and format=dataset, jsonl or txt.');
	const d = await db();
	const subject = await getSubject(d, id.data);
	if (!subject) error(404, 'No such subject.');
	const rows = await orRefusal(() => exportRows(d, subject.id, q.data.case as 1 | 2 | 3 | 4));
	await recordAudit(d, {
		actorId: admin.id,
		action: 'subject.export',
		target: `subject:${subject.name}`,
		detail: { case: q.data.case, format: q.data.format },
		address: event.getClientAddress()
	});
	const base = `${subject.name}-case${q.data.case}`;
	if (q.data.format === 'jsonl') {
		return new Response(metadataJsonl(rows), {
			headers: {
				'content-type': 'application/jsonl; charset=utf-8',
				'content-disposition': `attachment; filename="${base}-metadata.jsonl"`
			}
		});
	}
	const zip = q.data.format === 'dataset' ? datasetZip(rows) : captionTxtZip(rows);
	const name = q.data.format === 'dataset' ? `${base}-dataset.zip` : `${base}-captions.zip`;
	return new Response(toReadableStream(zip), {
		headers: {
			'content-type': 'application/zip',
			'content-disposition': `attachment; filename="${name}"`
		}
	});
};
