/**
 * Checks any caption set with the app's own rules, no database needed:
 *
 *   npm run --silent sid:lint < captions.jsonl [--identifier sks]
 *
 * Reads JSON lines {"class": "dog", "caption": "...", "kind"?: "object"|"live"|"style"} and
 * prints one line {"flags": [{code, message}, ...]} per input line, in order (empty when clean).
 * A line that is not such an object gets a single "unreadable" flag rather than stopping the run.
 */
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { lintCaption } from '../src/lib/server/captions/lint';

const line = z.object({
	class: z.string().trim().min(1),
	caption: z.string(),
	kind: z.enum(['object', 'live', 'style']).default('object')
});

const args = process.argv.slice(2);
const at = args.indexOf('--identifier');
// `npm run sid:lint --identifier x` (without "--"): npm keeps the flag as npm_config_identifier
// ("true" when it took no value) and passes the value on as a plain argument.
const fromNpm = process.env.npm_config_identifier;
const identifier =
	at >= 0 ? (args[at + 1] ?? '') : fromNpm === 'true' ? (args[0] ?? '') : (fromNpm ?? 'sks');
if (!/^[A-Za-z0-9]+$/.test(identifier)) {
	process.stderr.write('--identifier takes one word of letters and digits.\n');
	process.exit(2);
}

for await (const text of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
	if (!text.trim()) continue;
	let parsed: z.infer<typeof line> | null = null;
	try {
		const r = line.safeParse(JSON.parse(text));
		if (r.success) parsed = r.data;
	} catch {
		parsed = null;
	}
	const flags = parsed
		? lintCaption(parsed.caption, { identifier, classNoun: parsed.class, kind: parsed.kind })
		: [{ code: 'unreadable', message: 'Not a JSON object with "class" and "caption".' }];
	process.stdout.write(JSON.stringify({ flags }) + '\n');
}
