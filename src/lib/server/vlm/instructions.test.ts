import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import type { Database } from '../db';
import {
	currentInstruction,
	DEFAULT_INSTRUCTIONS,
	instructionVersions,
	saveInstruction
} from './instructions';

describe.each(DB_KINDS)('versioned VLM instructions on %s', (kind) => {
	let d: Database;
	beforeAll(async () => {
		d = await freshDatabase(kind);
	});
	afterAll(async () => d?.close());

	it('starts from the default, adds a version per edit and keeps the old ones', async () => {
		const v1 = await currentInstruction(d.db, 'sid');
		expect(v1).toMatchObject({ version: 1, text: DEFAULT_INSTRUCTIONS.sid });
		const v2 = await saveInstruction(d.db, 'sid', `${v1.text} Mention the lighting.`, null);
		expect(v2.version).toBe(2);
		expect((await saveInstruction(d.db, 'sid', v2.text, null)).id).toBe(v2.id);
		expect((await currentInstruction(d.db, 'sid')).id).toBe(v2.id);
		expect((await instructionVersions(d.db, 'sid')).map((v) => v.version)).toEqual([2, 1]);
		expect((await currentInstruction(d.db, 'style')).text).toContain(
			'in the style of {subject} art'
		);
	});
});
