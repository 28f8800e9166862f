/** Natural log of the gamma function (Lanczos approximation, g = 7, n = 9). */
function logGamma(x: number): number {
	const c = [
		0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
		-176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
		1.5056327351493116e-7
	];
	if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
	x -= 1;
	let a = c[0];
	const t = x + 7.5;
	for (let i = 1; i < 9; i++) a += c[i] / (x + i);
	return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularized upper incomplete gamma Q(a, x): series below a + 1, continued fraction above. */
export function gammaQ(a: number, x: number): number {
	if (x <= 0) return 1;
	const lg = logGamma(a);
	if (x < a + 1) {
		let sum = 1 / a;
		let term = sum;
		for (let n = 1; n < 500; n++) {
			term *= x / (a + n);
			sum += term;
			if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
		}
		return 1 - sum * Math.exp(-x + a * Math.log(x) - lg);
	}
	// Lentz's method for the continued fraction.
	const tiny = 1e-300;
	let b = x + 1 - a;
	let c = 1 / tiny;
	let d = 1 / b;
	let h = d;
	for (let i = 1; i < 500; i++) {
		const an = -i * (i - a);
		b += 2;
		d = an * d + b;
		if (Math.abs(d) < tiny) d = tiny;
		c = b + an / c;
		if (Math.abs(c) < tiny) c = tiny;
		d = 1 / d;
		const del = d * c;
		h *= del;
		if (Math.abs(del - 1) < 1e-15) break;
	}
	return Math.exp(-x + a * Math.log(x) - lg) * h;
}

/** P(X >= x) for a chi-square distribution with `df` degrees of freedom. */
export function chiSquareP(x: number, df: number): number {
	return gammaQ(df / 2, x / 2);
}

/** Pearson's goodness-of-fit test of observed counts against expected counts. */
export function chiSquareTest(observed: number[], expected: number[]): { x2: number; p: number } {
	let x2 = 0;
	for (let i = 0; i < observed.length; i++) {
		x2 += (observed[i] - expected[i]) ** 2 / expected[i];
	}
	return { x2, p: chiSquareP(x2, observed.length - 1) };
}
