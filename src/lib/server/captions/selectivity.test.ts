import { describe, expect, it } from 'vitest';
import { checkSelectivity } from './selectivity';
import type { SubjectNaming } from './descriptions';

const dog: SubjectNaming = { identifier: 'sks', classNoun: 'dog', kind: 'live' };
const cat: SubjectNaming = { identifier: 'sks', classNoun: 'cat', kind: 'live' };
const boot: SubjectNaming = { identifier: 'zwx', classNoun: 'boot', kind: 'object' };
const sunglasses: SubjectNaming = { identifier: 'sks', classNoun: 'sunglasses', kind: 'object' };
const teddy: SubjectNaming = { identifier: 'sks', classNoun: 'teddy bear', kind: 'object' };
const candle: SubjectNaming = { identifier: 'sks', classNoun: 'candle', kind: 'object' };
const bowl: SubjectNaming = { identifier: 'sks', classNoun: 'bowl', kind: 'object' };
const cartoon: SubjectNaming = { identifier: 'sks', classNoun: 'cartoon', kind: 'object' };
const can: SubjectNaming = { identifier: 'sks', classNoun: 'can', kind: 'object' };
const vase: SubjectNaming = { identifier: 'sks', classNoun: 'vase', kind: 'object' };
const painting: SubjectNaming = { identifier: 'sks', classNoun: 'painting', kind: 'style' };

/** Hand-written SIDs: the clean ones name the subject only as "[v] [class]". */
const clean: [string, SubjectNaming][] = [
	['a sks dog sitting on a blue velvet sofa next to a red striped cushion', dog],
	['A sks dog lying on green grass in front of a white picket fence.', dog],
	['a sks cat curled up in a wicker basket on a wooden floor beside a potted fern', cat],
	['a sks cat on a windowsill, with a yellow curtain and a rainy street behind it', cat],
	['a zwx boot standing on a grey concrete step next to a rusty watering can', boot],
	['a zwx boot on a white table with a folded newspaper and a ceramic mug', boot],
	['a sks sunglasses resting on a sandy beach towel with a striped pattern', sunglasses],
	['a sks teddy bear on a bed with a patchwork quilt and two white pillows', teddy],
	['a sks dog with a red rubber ball in front of a brick wall', dog],
	['a sks dog wearing a green knitted scarf, on a snowy path lined with pine trees', dog],
	// What a holder holds, a bare enclosure, and a place the subject sits in are not the subject.
	['a sks bowl of green olives on a terrace table beside a jug of water', bowl],
	['a sks candle in a jar on a kitchen windowsill next to a basil plant', candle],
	['a sks cat in a wooden crate with a torn blanket inside, on a porch', cat],
	['a sks candle in front of a mirror with a gilt frame', candle],
	// Places reached through a part word, another object's "its", an action after a comma.
	['a sks dog lying on the back of a sofa beside a striped cushion', dog],
	['a zwx boot on a shelf next to a kettle with its handle wrapped in tape', boot],
	['a sks dog on a porch, looking out at the rain over a garden', dog],
	['a sks sunglasses slung over the collar of a shirt on a hanger', sunglasses],
	[
		'A painting in the style of sks art. A harbour with three fishing boats under a cloudy sky.',
		painting
	],
	[
		'A painting in the style of sks art. A woman in a long dress reading a letter by a window.',
		painting
	]
];

/** Both kinds of mistake: details attached to the subject, and a missing or repeated identifier. */
const flawed: [string, SubjectNaming, string][] = [
	['a sks fluffy brown dog sitting on a blue sofa', dog, 'subject-detail'],
	['a fluffy sks dog sitting on a blue sofa', dog, 'subject-detail'],
	['a small white sks dog on green grass', dog, 'subject-detail'],
	['a sks dog with brown fur and floppy ears lying on a rug', dog, 'subject-detail'],
	['a sks dog with its long pink tongue hanging out on a beach', dog, 'subject-detail'],
	['a sks dog that is brown and white sitting in a park', dog, 'subject-detail'],
	["a sks cat's green eyes glowing in a dark hallway", cat, 'subject-detail'],
	['a sks cat, a grey tabby cat, sleeping on a wool blanket', cat, 'subject-detail'],
	['a sks cat sleeping on a blanket while the striped cat stretches', cat, 'subject-repeated'],
	['a zwx leather boot with brass eyelets on a concrete step', boot, 'subject-detail'],
	['a zwx boot with a shiny black finish on a wooden floor', boot, 'subject-detail'],
	// Details reached through another noun that stands for the subject or encloses it.
	['a sks cartoon of a smiling yellow fish on a sticker sheet', cartoon, 'subject-detail'],
	['a sks candle of poured soy wax beside a stack of towels', candle, 'subject-detail'],
	['a sks bowl of speckled stoneware on a shelf', bowl, 'subject-detail'],
	['a sks candle in an amber glass jar on a nightstand', candle, 'subject-detail'],
	['a sks candle in a tin with a hinged lid, on a desk', candle, 'subject-detail'],
	['a sks dog licking a pink paw on a kitchen rug', dog, 'subject-detail'],
	['a zwx boot in soft brown suede on a stone step', boot, 'subject-detail'],
	['a sks vase in the shape of a fish on a shelf', vase, 'subject-detail'],
	['a zwx boot on a step, faded and stained with mud', boot, 'subject-detail'],
	['a sks can of beans with a peeling label on a pantry shelf', can, 'subject-detail'],
	['a sks sunglasses on a towel; the pair has mirrored lenses', sunglasses, 'subject-repeated'],
	['a dog sitting on a blue velvet sofa next to a red cushion', dog, 'identifier-missing'],
	['a sks dog sitting on a sofa next to a sks dog toy', dog, 'identifier-repeated'],
	['a brown dog on a sofa', dog, 'identifier-missing'],
	['a sks on a beach towel with a striped pattern', sunglasses, 'class-missing'],
	[
		'A painting in the style of sks art with bold brushstrokes showing a harbour.',
		painting,
		'style-detail'
	],
	['A harbour with boats in the style of sks art.', painting, 'style-phrase'],
	['A painting of a harbour with fishing boats.', painting, 'identifier-missing']
];

describe('selectivity check', () => {
	it('has a table of at least 20 examples of both kinds', () => {
		expect(clean.length + flawed.length).toBeGreaterThanOrEqual(20);
	});

	it.each(clean)('passes the clean SID "%s"', (sid, subject) => {
		expect(checkSelectivity(sid, subject)).toEqual([]);
	});

	it.each(flawed)('flags "%s"', (sid, subject, code) => {
		const flags = checkSelectivity(sid, subject);
		expect(flags.map((f) => f.code)).toContain(code);
		for (const f of flags) expect(f.message.length).toBeGreaterThan(10);
	});
});
