/** Latency summaries for benchmark reports. */
export function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[i];
}

export function summarize(ms: number[]): {
	n: number;
	p50: number;
	p95: number;
	p99: number;
	max: number;
} {
	const s = [...ms].sort((a, b) => a - b);
	const r = (x: number) => Math.round(x * 10) / 10;
	return {
		n: s.length,
		p50: r(percentile(s, 50)),
		p95: r(percentile(s, 95)),
		p99: r(percentile(s, 99)),
		max: r(s.at(-1) ?? NaN)
	};
}
