import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { discard, excerpt, MAX_EXCERPT_BYTES, readCapped } from './body';
import { policyRefusalOf } from './egress-policy';
import type { FullResponse } from './index';
import { getApiRoot, sendAuthenticated } from './index';
import type { Scope } from './runtime';
import { sameOrigin } from './urls';

/** An HTTP failure of a file download, with what the retry decision needs. */
export class UrlFetchError extends Error {
	constructor(
		message: string,
		readonly url: string,
		readonly status?: number,
		readonly retryAfter?: unknown,
		/** False when asking again cannot help (the answer is not what was asked for). */
		readonly retryable = true,
	) {
		super(message);
	}
}

/** The first answer that is not a redirect, body unread. */
export interface OpenedUrl {
	response: FullResponse;
	url: string;
	status: number;
	/** Lower-cased, without parameters; empty when absent. */
	contentType: string;
}

const MAX_HOPS = 5;

function header(response: FullResponse, name: string): string | undefined {
	const value = response.headers[name];
	return typeof value === 'string' ? value : Array.isArray(value) ? String(value[0]) : undefined;
}

/**
 * Opens a URL and follows its redirects by hand (at most MAX_HOPS), dropping each redirect's
 * body unread. The CometAPI key goes to the API host only, and only when `keyOnApiHost`: every
 * other hop is fetched without credentials, so the key never follows a redirect elsewhere.
 */
export async function openUrl(
	this: IExecuteFunctions,
	scope: Scope,
	signal: AbortSignal,
	start: string,
	options: { keyOnApiHost: boolean },
): Promise<OpenedUrl> {
	const apiRoot = await getApiRoot.call(this, scope.itemIndex);
	let url = start;
	for (let hop = 0; hop <= MAX_HOPS; hop++) {
		const request: IHttpRequestOptions = {
			method: 'GET',
			url,
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			// Until the answer's headers; the body's own limits are the caller's.
			timeout: scope.runtime.limits.requestTimeoutMs,
			headers: { 'accept-encoding': 'identity' },
		};
		let response: FullResponse;
		try {
			response =
				options.keyOnApiHost && sameOrigin(url, apiRoot)
					? await sendAuthenticated.call(this, signal, request)
					: ((await this.helpers.httpRequest({ ...request, abortSignal: signal })) as FullResponse);
		} catch (error) {
			// n8n checks every hop against its SSRF policy: a refusal names the hop it refused.
			throw policyRefusalOf(error, url, start) ?? error;
		}
		const status = response.statusCode;
		const location = header(response, 'location');
		if (status >= 300 && status < 400 && location) {
			discard(response.body);
			url = new URL(location, url).toString();
			continue;
		}
		const contentType = (header(response, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
		return { response, url, status, contentType };
	}
	throw new UrlFetchError(`more than ${MAX_HOPS} redirects`, url);
}

/** A non-2xx answer as an error, quoting a short excerpt of its capped body. */
export async function statusError(opened: OpenedUrl): Promise<UrlFetchError> {
	const { text } = await readCapped(opened.response.body, MAX_EXCERPT_BYTES);
	return new UrlFetchError(
		`HTTP ${opened.status}: ${excerpt(text)}`,
		opened.url,
		opened.status,
		opened.response.headers['retry-after'],
	);
}

/** A 2xx answer of the wrong kind as a final error, quoting a short excerpt. */
export async function wrongTypeError(opened: OpenedUrl, wanted: string): Promise<UrlFetchError> {
	const { text } = await readCapped(opened.response.body, MAX_EXCERPT_BYTES);
	return new UrlFetchError(
		`answered ${opened.contentType || 'no content type'} instead of ${wanted}: ${excerpt(text)}`,
		opened.url,
		opened.status,
		undefined,
		false,
	);
}

/**
 * The size the answer declares (Content-Length), as a hint for refusing early: with a compressed
 * body it counts the encoded bytes. A body cut short of it is refused by the HTTP client itself.
 */
export function declaredLength(opened: OpenedUrl): number | undefined {
	const length = Number(header(opened.response, 'content-length'));
	return header(opened.response, 'content-length') !== undefined && Number.isFinite(length)
		? length
		: undefined;
}
