import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { helpPage, helpPages, renderHelp, resolveDocLink } from './docs';

describe('help pages', () => {
	it('are the repository documents themselves, so the two cannot drift', () => {
		const slugs = helpPages().map((p) => p.slug);
		expect(slugs.slice(0, 2)).toEqual(['import-format', 'worker-setup']);
		expect(slugs).toContain('worker-api');
		const page = helpPage('import-format')!;
		expect(page.source).toBe(readFileSync('docs/IMPORT_FORMAT.md', 'utf8'));
		expect(page.title).toBe('Importing generated images (ZIP + manifest)');
		expect(helpPage('nope')).toBeNull();
	});

	it('turn links between documents into links between help pages', () => {
		expect(resolveDocLink('../docs/WORKER_API.md')).toBe('/admin/help/worker-api');
		expect(resolveDocLink('WORKER_API.md#claim-a-job')).toBe('/admin/help/worker-api#claim-a-job');
		expect(resolveDocLink('#layout')).toBe('#layout');
		expect(resolveDocLink('../src/lib/server/x.ts')).toBeNull();
		expect(resolveDocLink('https://example.org')).toBe('https://example.org');
		// The worker set-up page links the protocol as a help page.
		const blocks = JSON.stringify(renderHelp(helpPage('worker-setup')!));
		expect(blocks).toContain('"href":"/admin/help/worker-api"');
	});
});
