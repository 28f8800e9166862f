import { describe, expect, it } from 'vitest';
import { flowLegend, textWidth } from './legend';

describe('flowLegend', () => {
	const box = { x0: 230, x1: 760, y0: 20, fontSize: 13 };

	it('keeps the entries apart on one row when they fit', () => {
		const labels = ['DreamBooth + SID', 'Undecided', 'DreamBooth'];
		const { entries, height } = flowLegend(labels, box);
		expect(new Set(entries.map((e) => e.y)).size).toBe(1);
		expect(height).toBe(20);
		for (let i = 1; i < entries.length; i++)
			expect(entries[i].x).toBeGreaterThan(
				entries[i - 1].x + 20 + textWidth(entries[i - 1].label, 13)
			);
	});

	it('wraps long method names to more rows instead of overlapping', () => {
		const labels = [
			'DreamBooth + SID (simulated, long name)',
			'Undecided',
			'DreamBooth (simulated, long name)'
		];
		const { entries, height } = flowLegend(labels, box);
		expect(height).toBeGreaterThan(20);
		for (const e of entries) expect(e.x + 20 + textWidth(e.label, 13)).toBeLessThanOrEqual(760);
		expect(entries.map((e) => e.label)).toEqual(labels);
	});

	it('shortens a label too long for a row of its own', () => {
		const long = 'Custom Diffusion with a very long description of the recipe '.repeat(3);
		const { entries } = flowLegend([long], box);
		expect(entries[0].label.endsWith('…')).toBe(true);
		expect(entries[0].x + 20 + textWidth(entries[0].label, 13)).toBeLessThanOrEqual(760);
	});
});

describe('textWidth', () => {
	it('grows with the text and the font size', () => {
		expect(textWidth('Undecided', 13)).toBeGreaterThan(textWidth('Undecided', 11));
		expect(textWidth('WWW', 12)).toBeGreaterThan(textWidth('iii', 12));
	});
});
