/** Turning async iterables into web ReadableStreams with backpressure. */

const encoder = new TextEncoder();

/**
 * A pull-based ReadableStream over an async iterable: the next chunk is
 * produced only when the consumer (ultimately the HTTP socket) has room,
 * so a slow client never makes the server buffer a whole export. If the
 * client goes away, the iterator's `return()` runs, which closes database
 * cursors held by the source generator.
 */
export function toReadableStream(
	source: AsyncIterable<string | Uint8Array>,
	highWaterMark = 4
): ReadableStream<Uint8Array> {
	const it = source[Symbol.asyncIterator]();
	return new ReadableStream<Uint8Array>(
		{
			async pull(controller) {
				try {
					const { value, done } = await it.next();
					if (done) controller.close();
					else controller.enqueue(typeof value === 'string' ? encoder.encode(value) : value);
				} catch (error) {
					controller.error(error);
				}
			},
			async cancel(reason) {
				await it.return?.(reason);
			}
		},
		{ highWaterMark }
	);
}

/**
 * Groups small strings into chunks of about `size` characters: one
 * enqueue per CSV row would spend more time in stream bookkeeping than in
 * formatting.
 */
export async function* batch(
	lines: AsyncIterable<string>,
	size = 64 * 1024
): AsyncGenerator<string> {
	let buffer = '';
	for await (const line of lines) {
		buffer += line;
		if (buffer.length >= size) {
			yield buffer;
			buffer = '';
		}
	}
	if (buffer) yield buffer;
}
