// The benchmarks' HTTP client: node:http over a keep-alive agent, the body read in full before
// a request counts as done. Lighter than fetch, which matters because the load generator
// shares this machine's two cores with the app and the database it measures.
import http from 'node:http';

export interface Reply {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
}

/** Keep-alive connections, as a browser keeps them; one agent for all simulated participants. */
export const sharedAgent = new http.Agent({ keepAlive: true });

export function send(
	url: string | URL,
	opts: {
		method?: 'GET' | 'POST';
		body?: string;
		headers?: Record<string, string>;
		agent?: http.Agent;
		/** Read the body but keep only its length (images: `body` is the byte count). */
		discard?: boolean;
	} = {}
): Promise<Reply> {
	const body = opts.body ?? '';
	return new Promise((resolve, reject) => {
		const req = http.request(
			url,
			{
				method: opts.method ?? 'GET',
				agent: opts.agent ?? sharedAgent,
				headers: { ...(body ? { 'content-length': Buffer.byteLength(body) } : {}), ...opts.headers }
			},
			(res) => {
				let text = '';
				let bytes = 0;
				if (!opts.discard) res.setEncoding('utf8');
				res.on('data', (c) => (opts.discard ? (bytes += c.length) : (text += c)));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						body: opts.discard ? String(bytes) : text
					})
				);
				res.on('error', reject);
			}
		);
		req.on('error', reject);
		req.end(body);
	});
}
