import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fillPrompt, parsePromptsAndClasses } from './dataset';

describe('the DreamBooth prompts and classes file', () => {
	const index = parsePromptsAndClasses(
		readFileSync('demo/dreambooth-512/prompts_and_classes.txt', 'utf8')
	);

	it('lists 30 subjects with their classes', () => {
		expect(index.classes.size).toBe(30);
		expect(index.classes.get('bear_plushie')).toBe('stuffed animal');
		expect(index.classes.get('dog6')).toBe('dog');
	});

	it('has the 25 evaluation prompts for objects and for live subjects', () => {
		expect(index.prompts.object).toHaveLength(25);
		expect(index.prompts.live).toHaveLength(25);
		expect(fillPrompt(index.prompts.object[1], 'sks', 'vase')).toBe('a sks vase in the snow');
		expect(index.prompts.live).toContain('a {identifier} {class} wearing a red hat');
	});
});
