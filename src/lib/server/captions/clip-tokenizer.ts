import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { CLIP_CONTEXT, type TokenBudget } from '../../captions/tokens';

/**
 * CLIP's text tokenizer, as OpenAI's `simple_tokenizer.py` and Hugging Face's `CLIPTokenizer`
 * do it, over the shipped merge list (vendor/clip-bpe). Counting with the real vocabulary is
 * the only way to know where training will cut a caption and whether [v] is one token.
 * Text cleaning follows CLIPTokenizer without ftfy: whitespace collapsed, lower-cased.
 */

export const CLIP_BPE = join(process.cwd(), 'vendor', 'clip-bpe', 'bpe_simple_vocab_16e6.txt.gz');

export interface Vocab {
	encoder: Map<string, number>;
	decoder: string[];
	ranks: Map<string, number>;
}

/**
 * GPT-2's reversible byte-to-character table: printable bytes map to themselves. The order of
 * the pairs (printable bytes first) is the order of the vocabulary's first 256 entries.
 */
function bytesToUnicode(): [number, string][] {
	const bs: number[] = [];
	for (let b = 33; b <= 126; b++) bs.push(b);
	for (let b = 161; b <= 172; b++) bs.push(b);
	for (let b = 174; b <= 255; b++) bs.push(b);
	const cs = [...bs];
	let n = 0;
	for (let b = 0; b < 256; b++) {
		if (!bs.includes(b)) {
			bs.push(b);
			cs.push(256 + n++);
		}
	}
	return bs.map((b, i) => [b, String.fromCodePoint(cs[i])]);
}

const BYTE_TABLE = bytesToUnicode();
const BYTE_CHARS: string[] = [];
for (const [b, c] of BYTE_TABLE) BYTE_CHARS[b] = c;
const CHAR_BYTES = new Map(BYTE_TABLE.map(([b, c]) => [c, b]));

let cached: Vocab | null = null;

/** Reads the merge list once (about half a second); later calls are free. */
export function vocab(): Vocab {
	if (cached) return cached;
	const lines = gunzipSync(readFileSync(CLIP_BPE)).toString('utf8').split('\n');
	// The same slice as CLIP: 48,894 merges after the version line.
	const merges = lines.slice(1, 49152 - 256 - 2 + 1).map((l) => l.split(' ') as [string, string]);
	const chars = BYTE_TABLE.map(([, c]) => c);
	const decoder = [...chars, ...chars.map((c) => `${c}</w>`)];
	for (const [a, b] of merges) decoder.push(a + b);
	decoder.push('<|startoftext|>', '<|endoftext|>');
	cached = {
		decoder,
		encoder: new Map(decoder.map((t, i) => [t, i])),
		ranks: new Map(merges.map(([a, b], i) => [`${a} ${b}`, i]))
	};
	return cached;
}

const PATTERN =
	/<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+/giu;

const bpeCache = new Map<string, string[]>();

/** Byte-pair merges of one pre-token, lowest rank first, until no known pair is left. */
function bpe(token: string): string[] {
	const hit = bpeCache.get(token);
	if (hit) return hit;
	const { ranks } = vocab();
	const chars = [...token];
	let word = [...chars.slice(0, -1), `${chars[chars.length - 1]}</w>`];
	while (word.length > 1) {
		let best = -1;
		let bestRank = Infinity;
		for (let i = 0; i < word.length - 1; i++) {
			const r = ranks.get(`${word[i]} ${word[i + 1]}`);
			if (r !== undefined && r < bestRank) {
				bestRank = r;
				best = i;
			}
		}
		if (best < 0) break;
		const [first, second] = [word[best], word[best + 1]];
		const merged: string[] = [];
		for (let i = 0; i < word.length;) {
			if (i < word.length - 1 && word[i] === first && word[i + 1] === second) {
				merged.push(first + second);
				i += 2;
			} else merged.push(word[i++]);
		}
		word = merged;
	}
	if (bpeCache.size < 50_000) bpeCache.set(token, word);
	return word;
}

/** The BPE pieces of a text, without start and end tokens. */
export function clipPieces(text: string): string[] {
	const clean = text.replace(/\s+/g, ' ').trim().toLowerCase();
	const pieces: string[] = [];
	for (const m of clean.matchAll(PATTERN)) {
		if (m[0] === '<|startoftext|>' || m[0] === '<|endoftext|>') {
			pieces.push(m[0]);
			continue;
		}
		const bytes = [...Buffer.from(m[0], 'utf8')].map((b) => BYTE_CHARS[b]).join('');
		pieces.push(...bpe(bytes));
	}
	return pieces;
}

/** Token ids as CLIPTokenizer gives them, start and end tokens included. */
export function clipTokenIds(text: string): number[] {
	const { encoder } = vocab();
	const ids = clipPieces(text).map((p) => encoder.get(p)!);
	return [encoder.get('<|startoftext|>')!, ...ids, encoder.get('<|endoftext|>')!];
}

/** Pieces back to text, as CLIPTokenizer decodes: "</w>" ends a word. */
function decode(pieces: string[]): string {
	return pieces
		.join('')
		.split('</w>')
		.map((w) => Buffer.from([...w].map((c) => CHAR_BYTES.get(c) ?? 32)).toString('utf8'))
		.join(' ')
		.replace(/\s+/g, ' ')
		.trim();
}

/** Whether a caption fits, and if not, the words training keeps and the words it cuts. */
export function tokenBudget(text: string): TokenBudget {
	const pieces = clipPieces(text);
	const room = CLIP_CONTEXT - 2;
	const over = pieces.length > room;
	return {
		count: pieces.length + 2,
		over,
		kept: over ? decode(pieces.slice(0, room)) : text,
		cut: over ? decode(pieces.slice(room)) : ''
	};
}

/** The pieces CLIP splits an identifier into; one piece means [v] is a single token. */
export function identifierPieces(identifier: string): string[] {
	return clipPieces(identifier).map((p) => p.replace(/<\/w>$/, ''));
}
