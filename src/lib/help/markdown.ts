/**
 * A small Markdown reader for the subset the project's docs use: headings, paragraphs,
 * fenced code, lists (with continuation lines), tables, block quotes, and inline code, bold,
 * italics and links. It returns a tree, never HTML: the page renders the tree with Svelte
 * elements, so no text in a document can become markup. Links are kept only when they are
 * http(s), mailto, or another help page; anything else stays as plain text.
 */

export type Inline =
	| { type: 'text'; text: string }
	| { type: 'code'; text: string }
	| { type: 'strong' | 'em'; children: Inline[] }
	| { type: 'link'; href: string; children: Inline[] };

export type Block =
	| { type: 'heading'; level: number; id: string; children: Inline[] }
	| { type: 'paragraph'; children: Inline[] }
	| { type: 'code'; lang: string; text: string }
	| { type: 'list'; ordered: boolean; start: number; items: Inline[][] }
	| { type: 'table'; head: Inline[][]; rows: Inline[][][] }
	| { type: 'quote'; children: Inline[] };

/** Maps a link target in a document (e.g. `../docs/WORKER_API.md#claim`) to a safe href, or null. */
export type LinkResolver = (target: string) => string | null;

export function safeExternal(target: string): string | null {
	return /^(https?:\/\/|mailto:)[^\s<>"']+$/i.test(target) ? target : null;
}

export function slugify(text: string): string {
	return text
		.toLowerCase()
		.replace(/[`*_[\]()]/g, '')
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
}

const INLINE =
	/`([^`]+)`|\*\*(.+?)\*\*|\*([^*\s][^*]*?)\*|\[([^\]]+)\]\(([^)\s]+)\)|<(https?:\/\/[^>\s]+)>/;

export function parseInline(text: string, resolve: LinkResolver): Inline[] {
	const out: Inline[] = [];
	let rest = text;
	while (rest.length) {
		const m = INLINE.exec(rest);
		if (!m) {
			out.push({ type: 'text', text: rest });
			break;
		}
		if (m.index > 0) out.push({ type: 'text', text: rest.slice(0, m.index) });
		if (m[1] !== undefined) out.push({ type: 'code', text: m[1] });
		else if (m[2] !== undefined) out.push({ type: 'strong', children: parseInline(m[2], resolve) });
		else if (m[3] !== undefined) out.push({ type: 'em', children: parseInline(m[3], resolve) });
		else if (m[4] !== undefined) {
			const href = resolve(m[5]);
			const children = parseInline(m[4], resolve);
			// A refused target keeps its words, without the link.
			if (href) out.push({ type: 'link', href, children });
			else out.push(...children);
		} else {
			const href = safeExternal(m[6]);
			out.push(
				href
					? { type: 'link', href, children: [{ type: 'text', text: m[6] }] }
					: { type: 'text', text: m[0] }
			);
		}
		rest = rest.slice(m.index + m[0].length);
	}
	return out;
}

const cells = (line: string) =>
	line
		.trim()
		.replace(/^\||\|$/g, '')
		.split(/(?<!\\)\|/)
		.map((c) => c.trim().replace(/\\\|/g, '|'));

const LIST_ITEM = /^(\s*)([-*]|(\d+)\.)\s+(.*)$/;

export function parseMarkdown(source: string, resolve: LinkResolver = safeExternal): Block[] {
	const lines = source.replace(/\r\n?/g, '\n').split('\n');
	const blocks: Block[] = [];
	const inline = (t: string) => parseInline(t, resolve);
	let i = 0;
	while (i < lines.length) {
		const line = lines[i];
		if (!line.trim()) {
			i++;
			continue;
		}
		const fence = /^\s*```\s*([\w-]*)/.exec(line);
		if (fence) {
			const body: string[] = [];
			i++;
			while (i < lines.length && !/^\s*```\s*$/.test(lines[i])) body.push(lines[i++]);
			i++;
			blocks.push({ type: 'code', lang: fence[1], text: body.join('\n') });
			continue;
		}
		const heading = /^(#{1,6})\s+(.*)$/.exec(line);
		if (heading) {
			const text = heading[2].trim();
			blocks.push({
				type: 'heading',
				level: heading[1].length,
				id: slugify(text),
				children: inline(text)
			});
			i++;
			continue;
		}
		if (line.trim().startsWith('|') && /^\s*\|?[\s:-]+\|[\s|:-]*$/.test(lines[i + 1] ?? '')) {
			const head = cells(line).map(inline);
			i += 2;
			const rows: Inline[][][] = [];
			while (i < lines.length && lines[i].trim().startsWith('|'))
				rows.push(cells(lines[i++]).map(inline));
			blocks.push({ type: 'table', head, rows });
			continue;
		}
		if (line.startsWith('>')) {
			const body: string[] = [];
			while (i < lines.length && lines[i].startsWith('>'))
				body.push(lines[i++].replace(/^>\s?/, ''));
			blocks.push({ type: 'quote', children: inline(body.join(' ')) });
			continue;
		}
		const item = LIST_ITEM.exec(line);
		if (item) {
			const ordered = item[3] !== undefined;
			const items: string[] = [];
			while (i < lines.length) {
				const m = LIST_ITEM.exec(lines[i]);
				if (m && (m[3] !== undefined) === ordered && m[1].length <= item[1].length)
					items.push(m[4]);
				else if (lines[i].trim() && /^\s/.test(lines[i]) && items.length)
					items[items.length - 1] += ' ' + lines[i].trim();
				else break;
				i++;
			}
			blocks.push({
				type: 'list',
				ordered,
				start: ordered ? Number(item[3]) : 1,
				items: items.map(inline)
			});
			continue;
		}
		const para: string[] = [];
		while (
			i < lines.length &&
			lines[i].trim() &&
			!/^(#{1,6}\s|\s*```|>)/.test(lines[i]) &&
			!(para.length && LIST_ITEM.test(lines[i]))
		)
			para.push(lines[i++].trim());
		blocks.push({ type: 'paragraph', children: inline(para.join(' ')) });
	}
	return blocks;
}
