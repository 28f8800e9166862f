import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../db';
import {
	assignments,
	items,
	participants,
	referenceImages,
	responses,
	samples,
	subjects,
	type Participant,
	type Study
} from '../db/schema';
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
 */
export async function loadSurvey(db: Db, study: Study, participant: Participant) {
	const left = alias(samples, 'left_sample');
	const right = alias(samples, 'right_sample');
	const rows = await db
		.select({
			assignmentId: assignments.id,
			subjectId: subjects.id,
			subject: subjects.classNoun,
			identifier: subjects.identifier,
			prompt: items.prompt,
			left: left.blobSha256,
			right: right.blobSha256
		})
		.from(assignments)
		.innerJoin(items, eq(items.id, assignments.itemId))
		.innerJoin(subjects, eq(subjects.id, items.subjectId))
		.innerJoin(left, eq(left.id, assignments.leftSampleId))
		.innerJoin(right, eq(right.id, assignments.rightSampleId))
		.where(eq(assignments.participantId, participant.id))
		.orderBy(asc(assignments.position));
	const subjectIds = [...new Set(rows.map((r) => r.subjectId))];
	const refs = subjectIds.length
		? await db
				.select({ subjectId: referenceImages.subjectId, sha: referenceImages.blobSha256 })
				.from(referenceImages)
				.where(inArray(referenceImages.subjectId, subjectIds))
				.orderBy(asc(referenceImages.position))
		: [];
	const screens: SurveyScreen[] = rows.map((r) => ({
		assignmentId: r.assignmentId,
		subject: r.subject,
		prompt: displayPrompt(r.prompt, r.identifier),
		references: refs
			.filter((x) => x.subjectId === r.subjectId)
			.slice(0, 4)
			.map((x) => x.sha),
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
	const answered = rows.length
		? await db
				.select({ assignmentId: responses.assignmentId, question: responses.question })
				.from(responses)
				.where(
					inArray(
						responses.assignmentId,
						rows.map((r) => r.assignmentId)
					)
				)
		: [];
	return {
		screens,
		problems,
		answered: answered.map((a) => `${a.assignmentId}:${a.question}`)
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
