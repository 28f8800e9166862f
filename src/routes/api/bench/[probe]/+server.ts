import { json } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { readJson } from '$lib/server/http/body';
import { orRefusal } from '$lib/server/http/refusal';
import { probeInput, requireBenchEndpoints, runProbe } from '$lib/server/bench/ceiling';
import type { RequestHandler } from './$types';

/** Reference endpoints for bench/ceiling.ts only (404 unless BENCH_ENDPOINTS=on). */
export const POST: RequestHandler = async (event) =>
	orRefusal(async () => {
		requireBenchEndpoints();
		const input = await readJson(event.request, probeInput, 4096);
		const out = await runProbe(await db(), event.params.probe, input);
		return json(out, { status: 201 });
	});
