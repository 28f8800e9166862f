import { parseMarkdown, safeExternal, slugify, type Block } from '$lib/help/markdown';

/**
 * The help pages are the repository's own documents, bundled at build time: the text an admin
 * reads in the app is the text in docs/, so the two cannot drift. A document added to docs/
 * (e.g. STATISTICS.md) becomes a help page with the next build.
 */
const SOURCES: Record<string, string> = {
	...import.meta.glob('/docs/*.md', { query: '?raw', import: 'default', eager: true }),
	...import.meta.glob('/gpu-service/README.md', { query: '?raw', import: 'default', eager: true })
};

export interface HelpPage {
	slug: string;
	title: string;
	/** Where the text lives in the repository. */
	path: string;
	source: string;
}

/** `docs/IMPORT_FORMAT.md` → `import-format`; the worker's README is the worker set-up page. */
function slugOf(path: string): string {
	if (path === '/gpu-service/README.md') return 'worker-setup';
	return slugify(path.replace(/^.*\//, '').replace(/\.md$/, '').replace(/_/g, '-'));
}

const PAGES: HelpPage[] = Object.entries(SOURCES)
	.map(([path, source]) => ({
		slug: slugOf(path),
		title: /^#\s+(.+)$/m.exec(source)?.[1].trim() ?? path,
		path: path.slice(1),
		source
	}))
	.sort((a, b) => a.title.localeCompare(b.title));

/** Help pages an admin is pointed at, in the order the path meets them. */
const FIRST = ['import-format', 'worker-setup', 'statistics', 'worker-api'];

export function helpPages(): Pick<HelpPage, 'slug' | 'title' | 'path'>[] {
	const rank = (s: string) => (FIRST.includes(s) ? FIRST.indexOf(s) : FIRST.length);
	return [...PAGES]
		.sort((a, b) => rank(a.slug) - rank(b.slug))
		.map(({ slug, title, path }) => ({ slug, title, path }));
}

export function helpPage(slug: string): HelpPage | null {
	return PAGES.find((p) => p.slug === slug) ?? null;
}

/** Links between documents become links between help pages; other repository files stay text. */
export function resolveDocLink(target: string): string | null {
	const external = safeExternal(target);
	if (external) return external;
	const [file, anchor] = target.split('#');
	if (!file && anchor) return `#${slugify(anchor)}`;
	const path = file.replace(/^(\.\.\/|\.\/)+/, '');
	const page = PAGES.find((p) => p.path === path || p.path === `docs/${path}`);
	if (!page) return null;
	return `/admin/help/${page.slug}${anchor ? `#${slugify(anchor)}` : ''}`;
}

export function renderHelp(page: HelpPage): Block[] {
	return parseMarkdown(page.source, resolveDocLink);
}
