import { describe, expect, it } from 'vitest';
import { composeCases, type SidStructure } from './structure';

const dog = { identifier: 'sks', classNoun: 'dog', kind: 'live' as const };
const style = { identifier: 'sks', classNoun: 'painting', kind: 'style' as const };

const sofa: SidStructure = {
	objects: [
		{ relation: 'sitting on', name: 'a sofa', details: 'a blue velvet sofa' },
		{ relation: 'next to', name: 'a cushion', details: 'a red striped cushion' }
	],
	background: { relation: 'in', name: 'a living room', details: 'a sunlit living room' },
	subject: 'with fluffy golden fur'
};

describe('four cases from one structure (Tab. 1)', () => {
	it('builds case 1 from the subject, case 2 from class names, 3 from details, 4 with the subject', () => {
		expect(composeCases(sofa, dog)).toEqual({
			1: 'a sks dog',
			2: 'a sks dog sitting on a sofa, next to a cushion, in a living room',
			3: 'a sks dog sitting on a blue velvet sofa, next to a red striped cushion, in a sunlit living room',
			4: 'a sks dog with fluffy golden fur, sitting on a blue velvet sofa, next to a red striped cushion, in a sunlit living room'
		});
	});

	it('starts every case with "a [v] [class]", or the C.1 phrase for style', () => {
		for (const text of Object.values(composeCases(sofa, dog))) expect(text).toMatch(/^a sks dog\b/);
		const c = composeCases({ ...sofa, subject: '' }, style);
		expect(c[1]).toBe('A painting in the style of sks art.');
		expect(c[3]).toMatch(/^A painting in the style of sks art sitting on/);
		expect(c[4]).toBe(c[3]);
	});

	it('falls back to the class name when details are empty, and to case 1 when nothing is named', () => {
		const bare: SidStructure = {
			objects: [{ relation: 'on', name: 'a rug', details: '' }],
			background: null,
			subject: ''
		};
		expect(composeCases(bare, dog)[3]).toBe('a sks dog on a rug');
		expect(composeCases({ objects: [], background: null, subject: '' }, dog)[3]).toBe('a sks dog');
	});
});
