import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import { readCapped } from './body';
import type { FullResponse } from './index';

/** The catalogue lists a few hundred models; a few megabytes is far beyond it. */
const MAX_CATALOGUE_BYTES = 4 * 1024 * 1024;
const CATALOGUE_TIMEOUT_MS = 15_000;

/**
 * GET <root>/api/models: CometAPI's public model catalogue, with prices. It needs no key, so
 * none is sent. Throws when it cannot be read; its shape (undefined when not JSON) is the caller's.
 */
export async function fetchCatalogue(
	ctx: IExecuteFunctions | ILoadOptionsFunctions,
	apiRoot: string,
	options: { stop?: AbortSignal; timeoutMs?: number } = {},
): Promise<unknown> {
	// One limit for the whole answer, body included: a catalogue never holds up a run.
	const timeoutMs = Math.min(CATALOGUE_TIMEOUT_MS, options.timeoutMs ?? CATALOGUE_TIMEOUT_MS);
	const timedOut = AbortSignal.timeout(timeoutMs);
	const { stop } = options;
	const response = (await ctx.helpers.httpRequest({
		method: 'GET',
		url: `${apiRoot}/api/models`,
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		timeout: timeoutMs,
		abortSignal: stop ? AbortSignal.any([stop, timedOut]) : timedOut,
		headers: { accept: 'application/json' },
	})) as FullResponse;
	const { text, truncated } = await readCapped(response.body, MAX_CATALOGUE_BYTES);
	if (response.statusCode !== 200)
		throw new Error(`the catalogue answered HTTP ${response.statusCode}`);
	if (truncated) throw new Error('the catalogue is larger than 4 MB');
	try {
		return JSON.parse(text) as unknown;
	} catch {
		// Not JSON (an HTML page, say): an answer of unknown shape, like any other.
		return undefined;
	}
}
