import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

/** A real, small JPEG/PNG made in memory. */
export function makeImage(
	format: 'png' | 'jpeg' | 'webp' = 'png',
	size = 64,
	color = { r: 200, g: 80, b: 40 }
): Promise<Buffer> {
	return sharp({ create: { width: size, height: size, channels: 3, background: color } })
		.toFormat(format)
		.toBuffer();
}

function chunk(type: string, data: Buffer): Buffer {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(td));
	return Buffer.concat([len, td, crc]);
}

/**
 * A pixel bomb: a valid PNG header that declares width x height pixels, with a tiny
 * (truncated) payload. Decoding it naively would allocate gigabytes.
 */
export function pngBomb(width = 20000, height = 20000): Buffer {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 2; // colour type RGB
	const row = Buffer.alloc(1 + width * 3); // one scanline of zeros
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', ihdr),
		chunk('IDAT', deflateSync(row)),
		chunk('IEND', Buffer.alloc(0))
	]);
}
