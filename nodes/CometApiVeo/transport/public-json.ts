import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import { discard, readCapped } from './body';
import { describeNetworkCode, networkErrorCode } from './errors';
import type { FullResponse } from './index';
import type { Clock } from './runtime';
import { throwIfAborted } from './runtime';

/** The catalogue lists a few hundred models; a few megabytes is far beyond it. */
const MAX_CATALOGUE_BYTES = 4 * 1024 * 1024;

/**
 * GET <root>/api/models: CometAPI's public model catalogue, with prices. It needs no key, so
 * none is sent. Throws when it cannot be read whole within `maxMs` on the node's clock (the
 * runtime's catalogueReadMs: a host that sends the headers and then drips is cut there); its
 * shape (undefined when not JSON) is the caller's.
 */
export async function fetchCatalogue(
	ctx: IExecuteFunctions | ILoadOptionsFunctions,
	apiRoot: string,
	options: { clock: Clock; maxMs: number; stop?: AbortSignal },
): Promise<unknown> {
	const { clock, maxMs, stop } = options;
	const attempt = new AbortController();
	const finished = new AbortController();
	let body: unknown;
	const overtime = new Error(`it did not answer in full within ${maxMs / 1000} s`);
	// The read is raced against the clock, so the bound holds whatever the HTTP client does
	// with an open body; at the bound the request and its body are dropped.
	const deadline = clock
		.sleep(maxMs, stop ? AbortSignal.any([finished.signal, stop]) : finished.signal)
		.then(() => {
			attempt.abort(overtime);
			discard(body);
			throw overtime;
		});
	const read = async (): Promise<unknown> => {
		const response = (await ctx.helpers
			.httpRequest({
				method: 'GET',
				url: `${apiRoot}/api/models`,
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				abortSignal: stop ? AbortSignal.any([stop, attempt.signal]) : attempt.signal,
				headers: { accept: 'application/json' },
			})
			// In words of our own: the HTTP client's message may hold the request.
			.catch((error: unknown) => ({ failed: describeNetworkCode(networkErrorCode(error)) }))) as
			| FullResponse
			| { failed: string };
		if ('failed' in response) {
			if (attempt.signal.aborted) throw overtime;
			if (stop) throwIfAborted(stop);
			throw new Error(response.failed);
		}
		body = response.body;
		// The bound passed while the headers came in: the body is dropped unread.
		if (attempt.signal.aborted) {
			discard(body);
			throw overtime;
		}
		const { text, truncated } = await readCapped(response.body, MAX_CATALOGUE_BYTES);
		if (response.statusCode !== 200) throw new Error(`it answered HTTP ${response.statusCode}`);
		if (truncated) throw new Error('it is larger than 4 MB');
		try {
			return JSON.parse(text) as unknown;
		} catch {
			// Not JSON (an HTML page, say): an answer of unknown shape, like any other.
			return undefined;
		}
	};
	let settled = false;
	const reading = read().finally(() => (settled = true));
	// The loser of the race settles later, unheard.
	reading.catch(() => {});
	deadline.catch(() => {});
	try {
		return await Promise.race([reading, deadline]);
	} catch (error) {
		throw attempt.signal.aborted ? overtime : error;
	} finally {
		finished.abort();
		// Stopped mid-body: nothing is left reading it.
		if (!settled) {
			attempt.abort(overtime);
			discard(body);
		}
	}
}
