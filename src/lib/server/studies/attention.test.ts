import { describe, expect, it } from 'vitest';
import { attentionScreens } from './attention';

describe('attentionScreens', () => {
	it('draws the asked number of distinct screens, the same on every load', () => {
		const id = crypto.randomUUID();
		const screens = attentionScreens(id, 10, 2);
		expect(screens.size).toBe(2);
		for (const s of screens) expect(s >= 0 && s < 10).toBe(true);
		expect(attentionScreens(id, 10, 2)).toEqual(screens);
		expect(attentionScreens(id, 3, 5)).toEqual(new Set([0, 1, 2]));
	});

	it('puts the checks at different places for different participants, every screen alike', () => {
		const hits = new Array(10).fill(0);
		for (let i = 0; i < 2000; i++)
			for (const s of attentionScreens(crypto.randomUUID(), 10, 2)) hits[s]++;
		// 400 expected per screen; 4 standard deviations is about ±75.
		for (const h of hits) expect(Math.abs(h - 400)).toBeLessThan(80);
	});
});
