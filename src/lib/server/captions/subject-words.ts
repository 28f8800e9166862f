/**
 * Words that can stand for the subject later in a caption: its class noun, and for the classes
 * of the DreamBooth dataset the breeds, kinds and synonyms a VLM uses for them ("the corgi",
 * "the tabby", "the teddy bear", "the robot"). "the <word>" after "[v] [class]" refers back to
 * the subject; "a <word>" is another object and stays allowed.
 */
const BY_CLASS: Record<string, string[]> = {
	dog: 'dog puppy pup doggy hound corgi retriever poodle dachshund chow terrier labrador spaniel shepherd husky beagle collie pug bulldog dalmatian schnauzer mix breed'.split(
		' '
	),
	cat: 'cat kitten kitty tabby siamese shorthair longhair persian calico tomcat breed'.split(' '),
	'stuffed animal': 'teddy bear plushie plush sloth wolf toy stuffed animal'.split(' '),
	toy: 'robot duck monster car figure figurine emoji creature character toy'.split(' '),
	glasses: 'sunglasses shades glasses eyewear frames pair'.split(' '),
	sunglasses: 'sunglasses shades glasses eyewear frames pair'.split(' '),
	cartoon: 'character creature drawing cartoon figure monster'.split(' '),
	sneaker: 'sneaker shoe trainer high-top pair'.split(' '),
	boot: 'boot shoe pair'.split(' '),
	backpack: 'backpack rucksack bag pack'.split(' '),
	bowl: 'bowl dish'.split(' '),
	can: 'can tin'.split(' '),
	candle: 'candle'.split(' '),
	clock: 'clock'.split(' '),
	teapot: 'teapot pot kettle'.split(' '),
	vase: 'vase pot jar urn'.split(' ')
};

export function subjectWords(classNoun: string): Set<string> {
	const cls = classNoun.toLowerCase().trim();
	const own = cls.split(/\s+/);
	return new Set([...own, ...own.map((w) => `${w}s`), ...(BY_CLASS[cls] ?? [])]);
}

/** Classes that hold things: "a sks bowl of cherries" names its contents, not the bowl. */
const HOLDERS = new Set(
	'bowl vase can teapot backpack bag cup mug jar basket box bottle glass pot plate tin'.split(' ')
);

export function holdsContents(classNoun: string): boolean {
	const own = classNoun.toLowerCase().trim().split(/\s+/);
	return HOLDERS.has(own[own.length - 1]);
}

/**
 * Parts each DreamBooth class has, besides the generic parts of selectivity-words.ts. They
 * decide the ambiguous attachments: "which have thin gold arms" after "a sks glasses on a table"
 * is about the glasses, "a hammer with a worn handle" next to a sks can is not about the can.
 */
const ANIMAL =
	'fur coat hair ears ear tail paws paw eyes nose muzzle snout whiskers belly chest legs teeth tongue mane face head back neck markings spots stripes socks points saddle ruff jowls';
const TOY =
	'eyes ears arms legs nose mouth face head body tail wheels antenna visor horns teeth fur paws belly stitching seams limbs bow ribbon key';
const SHOE =
	'sole soles laces lace toe heel upper tongue eyelets cuff shaft swoosh logo lining buckle zipper stitching strap tab collar insole midsole outsole';
const PARTS_BY_CLASS: Record<string, string> = {
	dog: ANIMAL,
	cat: ANIMAL,
	'stuffed animal': `${TOY} muzzle snout elbows knees`,
	toy: TOY,
	cartoon: `${TOY} outline outlines`,
	backpack:
		'straps strap pocket pockets zipper zip buckle closure flap handle panel lining compartment seams hip belt drawstring loops',
	bowl: 'rim lip base foot glaze edge interior exterior inside outside walls wall',
	can: 'label lid tab pull ring top rim wrapper',
	candle: 'wick wicks wax flame jar lid holder',
	clock: 'face hands dial numerals numbers bells bell hammer pendulum case frame',
	sneaker: SHOE,
	boot: SHOE,
	glasses: 'frames frame lenses lens arms temples bridge hinges hinge pads rims',
	sunglasses: 'frames frame lenses lens arms temples bridge hinges hinge pads rims',
	teapot: 'spout lid handle body knob base glaze interior exterior',
	vase: 'neck lip rim belly base body glaze handles mouth shoulder sides interior exterior'
};

/** Classes that are animals: materials ("chrome", "nylon") cannot be theirs. */
export function isAnimalClass(classNoun: string): boolean {
	return PARTS_BY_CLASS[classNoun.toLowerCase().trim()] === ANIMAL;
}

export function subjectParts(classNoun: string): Set<string> {
	return new Set(
		(PARTS_BY_CLASS[classNoun.toLowerCase().trim()] ?? '').split(/\s+/).filter(Boolean)
	);
}

/**
 * What an object subject comes in and that belongs to it: the jar of a jar candle, the case of a
 * clock. "in a squat ceramic pot with a cork lid" describes the candle; a box or basket the
 * subject merely sits in is a place.
 */
const ENCLOSURE_BY_CLASS: Record<string, string> = {
	candle: 'jar holder tin pot tumbler votive glass container vessel cup dish teacup',
	clock: 'case casing housing frame',
	can: 'sleeve wrapper wrapping packaging'
};

export function subjectEnclosures(classNoun: string): Set<string> {
	const own = ENCLOSURE_BY_CLASS[classNoun.toLowerCase().trim()] ?? '';
	return new Set(`${own} casing wrapper wrapping packaging`.split(/\s+/).filter(Boolean));
}
