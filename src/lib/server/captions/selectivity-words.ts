/**
 * Generic, class-independent word classes of the selectivity check (selectivity-structure.ts).
 * The structure decides WHERE a phrase attaches (to the subject or to a scene object); these
 * lexicons only decide whether the attached words name appearance: colour, material, pattern,
 * shape, size, condition, parts. Class-specific parts are in subject-words.ts.
 */

const set = (s: string) => new Set(s.split(/\s+/).filter(Boolean));

/** Words that open a noun phrase: after them comes another thing, never an adjective phrase. */
export const DETERMINER = set(`a an the this that these those some its their his her my your our
	one two three four five six several many few each every no both another other any`);

/** Prepositions of place and motion: after "[v] [class]" they start the scene. */
export const PLACE = set(`on onto upon in inside into at by beside next near nearby under
	underneath beneath below behind against among amid amidst between atop above over across along
	alongside around through throughout from outside within before past toward towards up down off
	out to beyond opposite via`);

/** Words that join clauses or list items: what follows them is not attached to the subject. */
export const LINK = set(`and or while as where then but including plus`);

/**
 * Participles that say where or in what state the subject is ("held by", "folded on", "lit on",
 * "parked in front of"); followed by a place they are the scene, not its appearance.
 */
export const PLACEMENT = set(`held worn placed propped perched set tucked hung hanging filled
	heaped full surrounded nestled parked lit folded seen shown left tied clipped attached strapped
	stacked hidden slung draped balanced wedged mounted displayed arranged positioned lodged pinned
	taped posed dropped tossed piled scattered stored kept abandoned hooked curled reflected caught
	printed painted drawn stuck half partly partially laid lined tilted turned raised`);

/** Participles that can also name where something is drawn or worn ("printed on a poster"). */
export const PLACED_IMAGE = set(`printed painted drawn worn embroidered engraved stitched stuck`);

/** Participles of making, covering and condition: attached to the subject, they describe it. */
export const APPEARANCE = set(`painted decorated printed drawn made covered shaped glazed
	embroidered stitched carved tinted dented faded stained chipped scuffed crafted woven knitted
	engraved patterned striped spotted speckled coloured colored dyed polished plated trimmed
	adorned featuring sporting boasting having smelling resembling wrapped laced studded creased
	matted rusted frayed cracked hand-painted handmade fluted ribbed quilted padded tufted molded
	moulded cast forged blown hand-blown sewn built constructed fashioned finished coated topped
	edged rimmed etched inlaid marbled mottled bleached scratched torn ripped patched tarnished
	weathered peeling sculpted modelled modeled designed styled cut shaped outlined rendered
	illustrated sketched inked shaded`);

/** Verbs whose object is something the subject shows of itself. */
export const DISPLAY = set(`showing revealing displaying sporting baring flashing flaunting
	featuring boasting having shows reveals displays sports bares flashes features boasts has have
	bears`);

/** "A sks dog is lying on ...": a linking verb; what follows it is read as if it came first. */
export const LINKING = set(`is are was were`);

export const COLOUR = set(`red orange yellow green blue purple violet pink magenta brown black
	white grey gray beige cream tan golden gold silver bronze copper brass teal turquoise navy maroon
	burgundy lilac lavender mint ivory apricot rose rose-gold reddish brownish greyish grayish
	pinkish bluish greenish yellowish pastel dark light bright pale metallic shiny glossy matte
	chrome cobalt crimson scarlet amber ginger fawn sable brindle tabby multicoloured multicolored
	colourful colorful neon olive khaki charcoal ochre rust coral peach salmon emerald jade indigo
	celadon sage mustard caramel chocolate honey tortoiseshell two-tone iridescent translucent
	transparent clear frosted smoky deep`);

export const MATERIAL = set(`leather suede canvas nylon fabric plastic rubber metal aluminium
	aluminum steel glass ceramic porcelain stoneware earthenware terracotta wood wooden wax plush
	cotton wool felt velvet denim mesh paper cardboard fur furry fluffy fuzzy curly silky shaggy
	beeswax soy clay bone china crystal tin iron cast-iron brass copper bamboo wicker rattan walnut
	oak pine cork enamel acrylic resin vinyl polyester fleece corduroy tweed linen silk satin
	sheepskin shearling yarn tortoiseshell chrome titanium wire marble stone concrete gilt lacquer`);

/** Shape, size, texture and condition adjectives; none of them can stand for a scene noun. */
export const LOOK_ADJ = set(`tall short slim thin thick wide narrow round square oval
	rectangular octagonal hexagonal squat slender chunky flat curved pointed pointy sleek smooth
	rough ribbed fluted ridged spiky bushy floppy long large small tiny big huge oversized mini
	miniature heavy fat stubby lanky lean muscular plump sharp soft hard worn frayed chipped cracked
	dented scuffed rusty rusted tarnished torn patched speckled spotted striped mottled marbled
	crackled crackle glazed unglazed hammered brushed polished embossed engraved quilted padded
	tufted knitted woven scented rimless low-cut high-top hand-painted handmade fuzzy fluffy curly
	shaggy silky wiry glossy matte shiny slim sturdy roomy compact bulky dainty delicate ornate
	plain simple vintage antique retro boxy angular domed bulbous tapered flared cylindrical
	spherical conical heart-shaped star-shaped elegant scruffy stocky stout petite slight wispy
	fringed scalloped lacy furred hairless bald glossy-coated short-haired long-haired broad
	elongated wrinkled wrinkly freckled dappled ringed banded`);

/**
 * Nouns that name appearance on anything: "a matte finish", "its surface covered in ...".
 */
export const LOOK_NOUN = set(`colour color colours colors shade hue tone pattern patterns finish
	glaze surface texture print prints design designs shape form size build outline outlines
	marking markings stripe stripes spot spots dot dots patch patches trim detail details decoration
	decorations motif motifs lettering logo logos label labels emblem illustration graphic graphics
	sticker decal stitching seams border borders silhouette profile contour band bands swirl swirls
	ridge ridges groove grooves`);

/**
 * Parts any object or animal may have. Attached to the subject ("with a grey muzzle", "in
 * tortoiseshell frames") they describe it; reached through another noun they are that noun's.
 */
export const GENERIC_PART = set(`fur hair skin face body base top bottom side sides edge edges
	rim lip handle handles lid legs leg arms arm eyes eye ears ear nose mouth tail head feet foot
	paws paw wheels wheel buttons button panel panels lining sole soles laces lace strap straps
	pocket pockets zipper zip buckle buckles knob frame frames lenses lens bridge hinge hinges
	spout neck belly chest back teeth tongue whiskers muzzle snout mane horns horn wings wing beak
	claws toes toe heel cuff shaft tab dial hands numerals numbers wick wax`);

/** Predicative states that are not appearance: "a sks cat asleep on a towel". */
export const STATE = set(`asleep awake alone afloat aloft adrift ablaze alight ajar alive`);

/**
 * Scene words a bare "in" may take without an article: "in tall grass", "in bright sunlight".
 * Any other bare "in" right after the subject ("in brushed steel", "in dark green") is what the
 * subject is made of or coloured in.
 */
export const SCENE_MASS = set(`grass snow water sunlight light shade shadow shadows sand mud
	leaves rain fog mist sun moonlight darkness dusk dawn twilight daylight lamplight candlelight
	front bed hay straw dirt dust ice foam bubbles flowers clover moss weeds reeds traffic front
	focus profile silhouette motion midair mid-air air space autumn winter spring summer time
	place line view frame use action public costume snowfall rainfall pieces half`);

/** Nouns that stand for the subject in an appositive: ", a sturdy waterproof model with ...". */
export const STAND_IN = set(`model one version type kind variety specimen example design piece
	thing item style edition breed mix cross make`);

/** Pose and expression (Appendix D.2) stay allowed: "tilting its head", "with its mouth open". */
export const POSE_PART = set(`head mouth eyes eye paw paws jaw chin gaze tongue`);
export const POSE_STATE = set(`open closed shut half-closed half-open wide tilted raised lifted
	cocked lowered turned down up resting bowed out`);

/** Endings that mark an adjective or participle where no lexicon knows the word. */
export const ADJ_SHAPE = /(?:ed|en|less|ish|al|ic|ous|ive|ful|y|ly)$|^[a-z]+-[a-z]+$/;
