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
