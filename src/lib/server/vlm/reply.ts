import { z } from 'zod';
import type { SidStructure } from '../../captions/structure';

const part = z.object({
	relation: z.string().trim().max(80),
	class_name: z.string().trim().min(1).max(80),
	details: z.string().trim().max(400)
});

/**
 * The structured reply: one call per image gives the undesired objects (class name and details),
 * the background, and, kept apart, the subject's own description. The cases are composed from it
 * in code (src/lib/captions/structure.ts), never taken from the model as sentences.
 */
export const sidReply = z.object({
	undesired_objects: z.array(part).max(40),
	/** An empty class name means the image has no background worth naming. */
	background: part.extend({ class_name: z.string().trim().max(80) }),
	subject_description: z.string().trim().max(600)
});
export type SidReply = z.infer<typeof sidReply>;

const toPart = (p: { relation: string; class_name: string; details: string }) => ({
	relation: p.relation,
	name: p.class_name,
	details: p.details || p.class_name
});

export function structureFromReply(r: SidReply): SidStructure {
	return {
		objects: r.undesired_objects.map(toPart),
		background: r.background.class_name ? toPart(r.background) : null,
		subject: r.subject_description
	};
}

export const expressionReply = z.object({ expression: z.string().trim().max(120) });

const PART_SCHEMA = {
	type: 'object',
	additionalProperties: false,
	required: ['relation', 'class_name', 'details'],
	properties: {
		relation: { type: 'string' },
		class_name: { type: 'string' },
		details: { type: 'string' }
	}
} as const;

/** JSON schemas for `response_format: { type: 'json_schema', strict: true }`. */
export const SID_JSON_SCHEMA = {
	name: 'sid_structure',
	strict: true,
	schema: {
		type: 'object',
		additionalProperties: false,
		required: ['undesired_objects', 'background', 'subject_description'],
		properties: {
			undesired_objects: { type: 'array', items: PART_SCHEMA },
			background: PART_SCHEMA,
			subject_description: { type: 'string' }
		}
	}
} as const;

export const selectivityReply = z.object({
	describes_subject: z.boolean(),
	words: z.string().trim().max(300)
});

export const SELECTIVITY_JSON_SCHEMA = {
	name: 'selectivity_verdict',
	strict: true,
	schema: {
		type: 'object',
		additionalProperties: false,
		required: ['describes_subject', 'words'],
		properties: { describes_subject: { type: 'boolean' }, words: { type: 'string' } }
	}
} as const;

export const EXPRESSION_JSON_SCHEMA = {
	name: 'expression_reply',
	strict: true,
	schema: {
		type: 'object',
		additionalProperties: false,
		required: ['expression'],
		properties: { expression: { type: 'string' } }
	}
} as const;
