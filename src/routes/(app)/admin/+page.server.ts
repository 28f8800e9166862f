import { count, eq } from 'drizzle-orm';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { jobs, referenceImages, subjects, users } from '$lib/server/db/schema';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const d = await db();
	const [[s], [i], [u], [q]] = await Promise.all([
		d.select({ n: count() }).from(subjects),
		d.select({ n: count() }).from(referenceImages),
		d.select({ n: count() }).from(users).where(eq(users.disabled, false)),
		d.select({ n: count() }).from(jobs).where(eq(jobs.state, 'queued'))
	]);
	return { counts: { subjects: s.n, images: i.n, people: u.n, queuedJobs: q.n } };
};
