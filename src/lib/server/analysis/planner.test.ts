import { describe, expect, it } from 'vitest';
import { participantsFor, pilotInputs, powerCurve } from './planner';
import { simulateStudy } from './simulate';
import { tallyAnswers } from './tally';

describe('sample-size planner', () => {
	it('estimates effect and variation from a pilot close to the truth', () => {
		const design = {
			participants: 80,
			items: 40,
			perParticipant: 20,
			effect: 0.8,
			sdParticipant: 1,
			sdItem: 0.5,
			undecided: 0.1
		};
		const [t] = tallyAnswers(['overall'], simulateStudy(design, 3));
		const x = pilotInputs(t, 40, 20)!;
		// The pooled share of a logistic mixed model is pulled towards 1/2: between 0.5 and plogis(0.8).
		expect(x.share).toBeGreaterThan(0.6);
		expect(x.share).toBeLessThan(1 / (1 + Math.exp(-0.8)));
		expect(x.sdParticipant).toBeGreaterThan(0.6);
		expect(x.sdParticipant).toBeLessThan(1.4);
		expect(x.undecided).toBeCloseTo(0.1, 1);
	});

	it('gives power that rises with participants and reaches 80% for a clear effect', () => {
		const inputs = {
			share: 0.65,
			sdParticipant: 0.8,
			sdItem: 0.3,
			items: 30,
			perParticipant: 10,
			undecided: 0.1
		};
		const curve = powerCurve(inputs, [4, 10, 40], { sims: 60 });
		expect(curve[0].power).toBeLessThan(curve[2].power);
		expect(curve[2].power).toBeGreaterThanOrEqual(0.8);
		expect(participantsFor(curve, 0.8)).not.toBeNull();
		// No effect: the rejection rate is the test's level, whatever the size.
		const nullCurve = powerCurve({ ...inputs, share: 0.5 }, [40], { sims: 60 });
		expect(nullCurve[0].power).toBeLessThanOrEqual(0.15);
	});
});
