import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { auditCsv, recordAudit } from '$lib/server/audit/trail';
import { toReadableStream } from '$lib/server/exports/stream';
import type { RequestHandler } from './$types';

/** The whole audit trail as CSV; exporting it is itself recorded first. */
export const GET: RequestHandler = async (event) => {
	const admin = requireRole(event, 'admin');
	const d = await db();
	await recordAudit(d, {
		actorId: admin.id,
		action: 'audit.export',
		address: event.getClientAddress()
	});
	return new Response(toReadableStream(auditCsv(d)), {
		headers: {
			'content-type': 'text/csv; charset=utf-8; header=present',
			'content-disposition': 'attachment; filename="audit-trail.csv"',
			'cache-control': 'no-store'
		}
	});
};
