import { z } from 'zod';

/** The structured reply: cases 2-4 from one call, the subject only as the {subject} placeholder. */
export const sidReply = z.object({
	sid: z.string().trim().min(3).max(1000),
	objects_only: z.string().trim().min(3).max(1000),
	full: z.string().trim().min(3).max(1500),
	undesired_objects: z
		.array(
			z.object({ name: z.string().trim().min(1).max(80), details: z.string().trim().max(400) })
		)
		.max(40)
});
export type SidReply = z.infer<typeof sidReply>;

export const expressionReply = z.object({ expression: z.string().trim().max(120) });

/** JSON schemas for `response_format: { type: 'json_schema', strict: true }`. */
export const SID_JSON_SCHEMA = {
	name: 'sid_reply',
	strict: true,
	schema: {
		type: 'object',
		additionalProperties: false,
		required: ['sid', 'objects_only', 'full', 'undesired_objects'],
		properties: {
			sid: { type: 'string' },
			objects_only: { type: 'string' },
			full: { type: 'string' },
			undesired_objects: {
				type: 'array',
				items: {
					type: 'object',
					additionalProperties: false,
					required: ['name', 'details'],
					properties: { name: { type: 'string' }, details: { type: 'string' } }
				}
			}
		}
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
