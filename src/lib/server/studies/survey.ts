import { and, eq, isNull, sql } from 'drizzle-orm';
import { hotRows, type Db } from '../db';
import { assignments, participants, responses, type Participant, type Study } from '../db/schema';
import { attentionScreens } from './attention';
import { displayPrompt } from './studies';
import { refuse } from '../http/refusal';

export interface SurveyScreen {
	assignmentId: string;
	subject: string;
	prompt: string;
	references: string[];
	left: string;
	right: string;
}

export interface Problem {
	/** Index into `screens`. */
	screen: number;
	question: string;
	text: string;
}

const CHOICE_LABEL = {
	left: 'Image A',
	right: 'Image B',
	undecided: 'Cannot determine / Both equally'
};

/**
 * What the participant's browser needs: one screen per assigned item in the fixed order
 * (left/right as stored at assignment), the questions to ask on each, and what is answered.
 * One statement (screens, their subject's first four reference images and the answers
 * given): every arrival of a burst loads this page, so its round trips are the burst's.
 * Its lists come back as JSON: the PostgreSQL client does not look up array types (db/index.ts).
 */
export async function loadSurvey(db: Db, study: Study, participant: Participant) {
	const rows = await hotRows<{
		assignmentId: string;
		subject: string;
		identifier: string;
		prompt: string;
		left: string;
		right: string;
		references: string[];
		answered: string[];
	}>(
		db,
		sql`select a.id as "assignmentId", s.class_noun as subject, s.identifier, i.prompt,
				l.blob_sha256 as left, r.blob_sha256 as right,
				to_jsonb(array(select ri.blob_sha256 from reference_images ri where ri.subject_id = s.id
					order by ri.position limit 4)) as "references",
				to_jsonb(array(select rs.question from responses rs where rs.assignment_id = a.id)) as answered
			from assignments a
			join items i on i.id = a.item_id join subjects s on s.id = i.subject_id
			join samples l on l.id = a.left_sample_id join samples r on r.id = a.right_sample_id
			where a.participant_id = ${participant.id}::uuid
			order by a.position`
	);
	const screens: SurveyScreen[] = rows.map((r) => ({
		assignmentId: r.assignmentId,
		subject: r.subject,
		prompt: displayPrompt(r.prompt, r.identifier),
		references: r.references,
		left: r.left,
		right: r.right
	}));
	const problems: Problem[] = [];
	const checks = study.attentionCheck
		? attentionScreens(participant.id, screens.length, study.attentionChecks)
		: new Set<number>();
	screens.forEach((_, screen) => {
		for (const q of study.questions) problems.push({ screen, question: q.key, text: q.text });
		if (checks.has(screen)) {
			problems.push({
				screen,
				question: 'attention',
				text: `Attention check: to show that you are reading carefully, please choose “${CHOICE_LABEL[study.attentionAnswer]}” for this question.`
			});
		}
	});
	return {
		screens,
		problems,
		answered: rows.flatMap((r) => r.answered.map((q) => `${r.assignmentId}:${q}`))
	};
}

/**
 * Marks the participant complete once every problem has an answer, with the quality flags:
 * speeder and attention failure. A speeder spent, by the server's clock, less than the
 * study's threshold per answer on average (from starting to the last acknowledged answer):
 * a browser can report any time it likes, the server's timestamps it cannot.
 * Idempotent: a second call changes nothing and returns the same outcome.
 */
export async function completeParticipant(db: Db, study: Study, participant: Participant) {
	if (!participant.completedAt) {
		const { problems, answered } = await loadSurvey(db, study, participant);
		if (answered.length < problems.length) {
			refuse(
				409,
				`${problems.length - answered.length} questions are still open.`,
				{},
				{
					reason: 'not-finished'
				}
			);
		}
		const [stats] = await db
			.select({
				lastAt: sql<string>`max(${responses.receivedAt})`,
				firstAt: sql<string>`min(${responses.receivedAt})`,
				answers: sql<number>`count(*)::int`,
				attentionFailed: sql<
					boolean | null
				>`bool_or(${responses.question} = 'attention' and ${responses.choice} <> ${study.attentionAnswer})`
			})
			.from(responses)
			.innerJoin(assignments, eq(assignments.id, responses.assignmentId))
			.where(eq(assignments.participantId, participant.id));
		await db
			.update(participants)
			.set({
				completedAt: new Date(),
				speeder:
					(new Date(stats.lastAt).getTime() -
						new Date(participant.startedAt ?? stats.firstAt).getTime()) /
						Number(stats.answers) <
					study.speederMsPerQuestion,
				attentionFailed: study.attentionCheck ? Boolean(stats.attentionFailed) : null
			})
			.where(and(eq(participants.id, participant.id), isNull(participants.completedAt)));
	}
	return completionOf(study);
}

export function completionOf(study: Study) {
	return {
		code: study.completionCode,
		redirect: study.redirectUrl
			? study.redirectUrl.replaceAll('{code}', encodeURIComponent(study.completionCode))
			: null
	};
}
