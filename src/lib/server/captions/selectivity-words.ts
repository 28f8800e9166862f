/**
 * The word lists of the selectivity check (selectivity.ts): which words say where the subject
 * is, and which say what it looks like (colour, material, parts, what it comes in).
 */

/** Words that may follow "[v] [class]" directly: where the subject is, never what it looks like. */
export const RELATION =
	/^(?:on|in|at|by|beside|next|near|under|underneath|behind|against|with|among|amid|between|inside|atop|above|below|over|across|along|around|through|from|into|onto|beneath|alongside|before|outside|within|and|while|as|to|up|down|out|off|of|held|worn|placed|propped|perched|set|tucked|hung|hanging|filled|heaped|full|surrounded|nestled|parked|lined|half|resting|sitting|lying|standing|leaning|peeking|peeping|curled|running|jumping|walking|floating|holding|wearing|carrying|looking|facing|seen|shown|left|tied|clipped|attached|strapped|stacked|hidden|partly|partially|slung|draped|balanced|wedged|mounted|displayed|arranged|positioned|lodged|pinned|taped|posed|dropped|tossed|piled|scattered|stored|kept|abandoned|hooked|[a-z]+ing)$/;

/** Participles that describe how the subject looks rather than where it is. */
export const APPEARANCE =
	/^(?:painted|decorated|printed|drawn|made|covered|shaped|glazed|embroidered|stitched|carved|tinted|dented|faded|stained|chipped|scuffed|crafted|woven|knitted|engraved|patterned|striped|spotted|speckled|colou?red|dyed|polished|plated|trimmed|lined|adorned|featuring|sporting|boasting|having|smelling|looking|resembling|wrapped|laced|studded|creased|matted|rusted|frayed|cracked|worn|hand-painted|handmade|fluted|ribbed|quilted|padded|tufted)$/;

const COLOURS =
	'red|orange|yellow|green|blue|purple|violet|pink|magenta|brown|black|white|grey|gray|beige|cream|tan|golden|gold|silver|bronze|copper|brass|teal|turquoise|navy|maroon|burgundy|lilac|lavender|mint|ivory|apricot|rose|rose-gold|reddish|brownish|greyish|pastel|dark|light|bright|pale|metallic|shiny|glossy|matte|chrome|cobalt|crimson|scarlet|amber|ginger|fawn|sable|brindle|tabby|multicoloured|multicolored|colourful|colorful';
const MATERIALS =
	'leather|suede|canvas|nylon|fabric|plastic|rubber|metal|aluminium|aluminum|steel|glass|ceramic|porcelain|stoneware|wood|wooden|wax|plush|fabric|cotton|wool|felt|velvet|denim|mesh|paper|cardboard|fur|furry|fluffy|fuzzy|curly|silky|shaggy';

/** Parts and traits a subject has; "with floppy ears", "its zipper" describe the subject. */
const PARTS =
	'fur|coat|hair|ears?|eyes?|nose|snout|muzzle|tail|paws?|legs?|whiskers|spots|stripes|markings|patch(?:es)?|face|head|body|mane|teeth|tongue|belly|chest|back|arms?|beak|horns?|wings?|mouth|grin|smile|stitching|seams|buttons?|straps?|pockets?|zipper|zip|handles?|lid|spout|rim|base|neck|soles?|laces|toe|heel|upper|frames?|lenses|lens|wick|wax|label|lettering|logo|print|pattern|finish|glaze|surface|texture|colou?rs?|shape|build|size|trim|panels?|fringe|visor|wheels?|antenna|bells?|hands|dial|numbers|enamel|paint|outline|outlines|details?|design|decorations?|numerals|cuffs?|shaft|closure|buckles?|pendulum|arms|wicks?|pull|tab';

/**
 * Things an object subject comes in and that belong to it: the jar of a jar candle, the holder
 * of a tea light. Details reached through them ("in a glass jar with a round wooden lid")
 * describe the subject; a box or basket it merely sits in is a place and stays allowed.
 */
export const ENCLOSURE =
	/^(?:jar|jars|holder|tin|casing|sleeve|wrapper|wrapping|packaging|container|votive)$/;

export const DESCRIPTIVE = new RegExp(`^(?:${COLOURS}|${MATERIALS})$`);
/** Nouns of appearance: "in the shape of a sunburst", "in bright colours". */
export const LOOK = /^(?:shape|form|colou?rs?|pattern|style|finish|shade|design)$/;
export const MATERIAL = new RegExp(
	`^(?:${MATERIALS}|beeswax|stoneware|clay|bone|china|crystal|tin)$`
);
export const PART = new RegExp(`^(?:${PARTS})$`);
