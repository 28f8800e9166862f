import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toReadableStream } from './stream';
import { zipStream } from '../archives/zip-writer';

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
	const parts: Uint8Array[] = [];
	const reader = stream.getReader();
	for (;;) {
		const { value, done } = await reader.read();
		if (done) break;
		parts.push(value);
	}
	return Buffer.concat(parts);
}

describe('toReadableStream', () => {
	it('produces only as far ahead as the consumer reads (backpressure)', async () => {
		let produced = 0;
		async function* endless() {
			for (;;) {
				produced++;
				yield 'x'.repeat(1000);
			}
		}
		const reader = toReadableStream(endless(), 4).getReader();
		await reader.read();
		await new Promise((r) => setTimeout(r, 50));
		// One chunk read plus a queue of at most 4 (and one pull in flight).
		expect(produced).toBeLessThanOrEqual(6);
		await reader.cancel();
	});

	it('closes the source when the client goes away', async () => {
		let closed = false;
		async function* source() {
			try {
				for (;;) yield 'row\n';
			} finally {
				closed = true;
			}
		}
		const reader = toReadableStream(source()).getReader();
		await reader.read();
		await reader.cancel();
		expect(closed).toBe(true);
	});

	it('reports a failing source as a stream error', async () => {
		async function* broken() {
			yield 'a';
			throw new Error('database went away');
		}
		await expect(readAll(toReadableStream(broken()))).rejects.toThrow('database went away');
	});
});

describe('zipStream', () => {
	it('writes an archive that Info-ZIP unzip lists, tests and extracts byte for byte', async () => {
		async function* bigCsv() {
			for (let i = 0; i < 50_000; i++) yield `${i},row ${i},${(i * 7) % 13}\r\n`;
		}
		const bytes = await readAll(
			toReadableStream(
				zipStream([
					{ name: 'README.md', data: '# Codebook\n' },
					{ name: 'data/responses.csv', data: bigCsv() },
					{ name: 'raw.bin', data: new Uint8Array([0, 1, 2, 255]) }
				])
			)
		);
		const dir = mkdtempSync(join(tmpdir(), 'zip-test-'));
		const file = join(dir, 'bundle.zip');
		writeFileSync(file, bytes);
		expect(execFileSync('unzip', ['-tq', file]).toString()).toContain('No errors');
		expect(execFileSync('unzip', ['-p', file, 'README.md']).toString()).toBe('# Codebook\n');
		const csv = execFileSync('unzip', ['-p', file, 'data/responses.csv'], {
			maxBuffer: 64 * 1024 * 1024
		}).toString();
		expect(csv.split('\r\n')).toHaveLength(50_001);
		expect(csv.startsWith('0,row 0,0\r\n1,row 1,7\r\n')).toBe(true);
		expect([...execFileSync('unzip', ['-p', file, 'raw.bin'])]).toEqual([0, 1, 2, 255]);
		// Compressed: the CSV deflates well, so the archive is much smaller than its content.
		expect(bytes.length).toBeLessThan(csv.length / 3);
	});
});
