import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_KINDS, freshDatabase } from '../testing/databases';
import type { Database } from '../db';
import {
	currentInstruction,
	DEFAULT_INSTRUCTIONS,
	fillInstruction,
	instructionVersions,
	saveInstruction
} from './instructions';

describe('the shipped presets', () => {
	it('opens the style preset with Appendix C.1 word for word, [v] and the medium filled in', () => {
		const sent = fillInstruction(DEFAULT_INSTRUCTIONS.style, {
			classNoun: 'painting',
			identifier: 'sks'
		});
		expect(sent.split('\n')[0]).toBe(
			'Describe the image in one sentence in detail. Please start the sentence with "A painting in the style of sks art.". You should not describe the style of the painting itself.'
		);
	});

	it('makes the paper preset start with "A [v] [class]" and forbid describing the class', () => {
		const sent = fillInstruction(DEFAULT_INSTRUCTIONS.paper, {
			classNoun: 'dog',
			identifier: 'sks'
		});
		expect(sent.split('\n')[0]).toBe(
			'Describe the image in one sentence in detail. Please start the sentence with "A sks dog". You should not describe the dog itself.'
		);
		expect(sent).not.toContain('{');
	});
});

describe.each(DB_KINDS)('versioned VLM instructions on %s', (kind) => {
	let d: Database;
	beforeAll(async () => {
		d = await freshDatabase(kind);
	});
	afterAll(async () => d?.close());

	it('starts from the default, adds a version per edit and keeps the old ones', async () => {
		const v1 = await currentInstruction(d.db, 'paper');
		expect(v1).toMatchObject({ version: 1, text: DEFAULT_INSTRUCTIONS.paper });
		const v2 = await saveInstruction(d.db, 'paper', `${v1.text} Mention the lighting.`, null);
		expect(v2.version).toBe(2);
		expect((await saveInstruction(d.db, 'paper', v2.text, null)).id).toBe(v2.id);
		expect((await currentInstruction(d.db, 'paper')).id).toBe(v2.id);
		expect((await instructionVersions(d.db, 'paper')).map((v) => v.version)).toEqual([2, 1]);
		expect((await currentInstruction(d.db, 'sid')).text).toBe(DEFAULT_INSTRUCTIONS.sid);
		expect((await currentInstruction(d.db, 'style')).text).toContain(
			'in the style of {identifier} art'
		);
	});
});
