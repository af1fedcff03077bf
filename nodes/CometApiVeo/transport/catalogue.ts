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
): Promise<unknown> {
	const response = (await ctx.helpers.httpRequest({
		method: 'GET',
		url: `${apiRoot}/api/models`,
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		timeout: CATALOGUE_TIMEOUT_MS,
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
