/** Chart legends that never overlap, laid out without a browser (the SVG is rendered on the server). */

// Widths of system-ui glyphs as a share of the font size, rounded up so estimates err wide.
const NARROW = /[ijlIft.,:;'!|()[\]\s]/;
const WIDE = /[mwMW@%]/;
const UPPER = /[A-Z0-9+&#?]/;

/** An upper bound of the width of `text` set in a sans-serif at `fontSize` px. */
export function textWidth(text: string, fontSize: number): number {
	let em = 0;
	for (const c of text)
		em += NARROW.test(c) ? 0.36 : WIDE.test(c) ? 0.95 : UPPER.test(c) ? 0.72 : 0.6;
	return em * fontSize;
}

/** `text`, cut with an ellipsis where it would be wider than `room` px. */
export function fitText(text: string, fontSize: number, room: number): string {
	let label = text;
	while (label.length > 1 && textWidth(label, fontSize) > room) label = label.slice(0, -2) + '…';
	return label;
}

export interface LegendEntry {
	x: number;
	y: number;
	label: string;
}

/**
 * Places legend entries (a swatch, then the label) left to right from `x0`, wrapping to a new
 * row of height `row` when the next one would pass `x1`. A label too long for a row of its own
 * is shortened with an ellipsis. `y` is each row's text baseline; `height` the rows' total.
 */
export function flowLegend(
	labels: string[],
	{
		x0,
		x1,
		y0,
		fontSize = 12,
		swatch = 14,
		gap = 18,
		row = 20
	}: {
		x0: number;
		x1: number;
		y0: number;
		fontSize?: number;
		swatch?: number;
		gap?: number;
		row?: number;
	}
): { entries: LegendEntry[]; height: number } {
	const room = x1 - x0 - swatch - 6;
	const entries: LegendEntry[] = [];
	let x = x0;
	let y = y0;
	for (const full of labels) {
		const label = fitText(full, fontSize, room);
		const w = swatch + 6 + textWidth(label, fontSize);
		if (x > x0 && x + w > x1) {
			x = x0;
			y += row;
		}
		entries.push({ x, y, label });
		x += w + gap;
	}
	return { entries, height: entries.length ? y - y0 + row : 0 };
}
