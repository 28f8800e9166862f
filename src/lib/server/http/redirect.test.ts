import { describe, expect, it } from 'vitest';
import { safeRedirectPath } from './redirect';

// Finding 2 of issue 14: `/login?next=/%5Cevil.example` sent people to evil.example.
describe('redirect targets after login', () => {
	const bypasses = [
		'/%5Cevil.example',
		'/%09/evil.example',
		'/%5C%5Cevil.example',
		'/\\evil.example',
		'/\tevil.example',
		'/\t/evil.example',
		'//evil.example',
		'///evil.example',
		'/%2F/evil.example',
		'/%2f%2fevil.example',
		'/%252F%252Fevil.example',
		'/%255Cevil.example',
		'/./\\evil.example',
		'/.//evil.example',
		'/a/../..//evil.example',
		'/%0d%0aSet-Cookie:x=1',
		'/%E0%A4%A',
		'https://evil.example',
		'http:/evil.example',
		'javascript:alert(1)',
		'\\\\evil.example',
		' /admin',
		'',
		null
	];
	it.each(bypasses)('refuses %j', (next) => {
		expect(safeRedirectPath(next)).toBe('/');
	});

	it('keeps same-site paths with their query and fragment', () => {
		expect(safeRedirectPath('/admin/studies?state=open#x')).toBe('/admin/studies?state=open#x');
		expect(safeRedirectPath('/annotate/abc')).toBe('/annotate/abc');
		expect(safeRedirectPath('/s/demo?pid=a%20b')).toBe('/s/demo?pid=a%20b');
	});
});
