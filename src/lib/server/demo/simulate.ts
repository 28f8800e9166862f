import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../db';
import type { Study } from '../db/schema';
import { recordAnswer } from '../studies/answers';
import { arrive } from '../studies/participants';
import { completeParticipant, loadSurvey } from '../studies/survey';

export type Pick = 'a' | 'b' | 'undecided';

/**
 * Simulated participants for the demo and the tests. Sends them through the real survey path (arrive, recordAnswer, complete) and
 * answers by method, not by side: `plan(participant, screen, question)` says which method of
 * the screen's pair they prefer (a = the one listed first in the study, b = the other; with
 * two methods, positions 0 and 1). Returns the participants' ids in order.
 */
export async function answerStudy(
	db: Db,
	study: Study,
	n: number,
	plan: (participant: number, screen: number, question: string) => Pick,
	opts: {
		clientMs?: (participant: number) => number;
		complete?: (participant: number) => boolean;
		/** The answer to the participant's `check`-th attention check (0, 1, …). */
		attention?: (participant: number, check: number) => 'left' | 'right' | 'undecided';
		/** Keep the real arrival times (a script answering as fast as it can). */
		serverTimeAsIs?: boolean;
	} = {}
): Promise<string[]> {
	const ids: string[] = [];
	for (let i = 0; i < n; i++) {
		const { participant } = await arrive(db, study, {
			externalIds: { PROLIFIC_PID: `seed-${study.slug}-${i}` }
		});
		ids.push(participant.id);
		const { screens, problems } = await loadSurvey(db, study, participant);
		// Sample A of an item is the pair's method listed first in the study (b the other), so
		// "a" means the same thing in every pair of a k-method study.
		const sides = await queryRows<{ id: string; aLeft: boolean }>(
			db,
			sql`select a.id, a.left_sample_id = i.sample_a_id as "aLeft" from assignments a
				join items i on i.id = a.item_id
				where a.participant_id = ${participant.id}::uuid`
		);
		const aLeft = new Map(sides.map((s) => [s.id, s.aLeft]));
		const complete = opts.complete?.(i) ?? true;
		// Stopping half way: the first half of the screens (the attention checks fall where they fall).
		const todo = complete ? problems : problems.filter((p) => p.screen < screens.length / 2);
		let checks = 0;
		for (const p of todo) {
			const assignmentId = screens[p.screen].assignmentId;
			let choice: 'left' | 'right' | 'undecided';
			if (p.question === 'attention')
				choice = opts.attention?.(i, checks++) ?? study.attentionAnswer;
			else {
				const pick = plan(i, p.screen, p.question);
				choice =
					pick === 'undecided'
						? 'undecided'
						: (pick === 'a') === aLeft.get(assignmentId)
							? 'left'
							: 'right';
			}
			await recordAnswer(db, study, participant, {
				id: crypto.randomUUID(),
				assignmentId,
				question: p.question,
				choice,
				clientMs: opts.clientMs?.(i) ?? 4000
			});
		}
		// Simulated people take the time they report: put the server clock of their answers at
		// that pace (speeders are judged by server time), unless a test wants a scripted client.
		if (!opts.serverTimeAsIs) {
			await db.execute(sql`update responses r set received_at = x.at
				from (select r2.id, p.started_at + (row_number() over (order by r2.received_at, a.position, r2.question))
						* (${opts.clientMs?.(i) ?? 4000} * interval '1 millisecond') as at
					from responses r2 join assignments a on a.id = r2.assignment_id
					join participants p on p.id = a.participant_id
					where a.participant_id = ${participant.id}::uuid) x
				where r.id = x.id`);
		}
		if (complete) await completeParticipant(db, study, participant);
	}
	return ids;
}
