/** Number formatting shared by the results page, its charts and its tests. */

/** A share as the paper prints it: one decimal, e.g. "40.6%"; "–" when undefined. */
export function pct(x: number | null | undefined, digits = 1): string {
	return x === null || x === undefined || !Number.isFinite(x)
		? '–'
		: `${(x * 100).toFixed(digits)}%`;
}

/** An interval as "[35.2, 46.1]" in percent. */
export function ci(lo: number | null | undefined, hi: number | null | undefined): string {
	if (lo === null || lo === undefined || hi === null || hi === undefined) return '–';
	return `[${(lo * 100).toFixed(1)}, ${(hi * 100).toFixed(1)}]`;
}

/** p-values: three significant digits, "< 0.0001" below that. */
export function pValue(p: number | null | undefined): string {
	if (p === null || p === undefined) return '–';
	if (p < 1e-4) return '< 0.0001';
	return p.toPrecision(3);
}

/** A count with thousands separators, the same in every locale: "24,500". */
export function thousands(n: number): string {
	return n.toLocaleString('en-US');
}

export function num(x: number | null | undefined, digits = 3): string {
	if (x === null || x === undefined || !Number.isFinite(x)) return '–';
	const s = x.toFixed(digits);
	// "-0.00" reads as a negative value; it is zero at the precision shown.
	return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}
