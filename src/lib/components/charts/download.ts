/** Saving an on-screen SVG chart as an SVG or PNG file, entirely in the browser. */

function serialise(svg: SVGSVGElement): string {
	const copy = svg.cloneNode(true) as SVGSVGElement;
	copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
	// Svelte's hydration markers are HTML comments: noise in a file meant for papers.
	const walker = document.createTreeWalker(copy, NodeFilter.SHOW_COMMENT);
	const comments: Node[] = [];
	while (walker.nextNode()) comments.push(walker.currentNode);
	for (const c of comments) c.parentNode?.removeChild(c);
	const { width, height } = svg.viewBox.baseVal;
	copy.setAttribute('width', String(width));
	copy.setAttribute('height', String(height));
	return new XMLSerializer().serializeToString(copy);
}

function save(blob: Blob, filename: string) {
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = filename;
	a.click();
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function downloadSvg(svg: SVGSVGElement, name: string) {
	save(new Blob([serialise(svg)], { type: 'image/svg+xml' }), `${name}.svg`);
}

/** Renders the SVG into a canvas at 2x for a crisp PNG (slides, papers). */
export async function downloadPng(svg: SVGSVGElement, name: string, scale = 2) {
	const { width, height } = svg.viewBox.baseVal;
	const url = URL.createObjectURL(new Blob([serialise(svg)], { type: 'image/svg+xml' }));
	try {
		const img = new Image();
		await new Promise<void>((resolve, reject) => {
			img.onload = () => resolve();
			img.onerror = () => reject(new Error('The chart could not be drawn.'));
			img.src = url;
		});
		const canvas = document.createElement('canvas');
		canvas.width = width * scale;
		canvas.height = height * scale;
		const ctx = canvas.getContext('2d');
		if (!ctx) throw new Error('No canvas available.');
		ctx.fillStyle = '#fff';
		ctx.fillRect(0, 0, canvas.width, canvas.height);
		ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
		const png = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/png'));
		if (png) save(png, `${name}.png`);
	} finally {
		URL.revokeObjectURL(url);
	}
}

/** Colours shared by the charts: a muted baseline, a strong treatment, grey for undecided. */
export const COLORS = {
	a: '#8c9bb0',
	b: '#2563c9',
	undecided: '#d4d4d8',
	text: '#1f2937',
	grid: '#e5e7eb'
};
