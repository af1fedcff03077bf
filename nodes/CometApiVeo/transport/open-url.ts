import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { discard, excerpt, MAX_EXCERPT_BYTES, readCapped } from './body';
import { policyRefusalOf } from './egress-policy';
import type { FullResponse } from './index';
import { getApiRoot, sendAuthenticated } from './index';
import type { Scope } from './runtime';
import { hostOf, isHttpUrl, sameOrigin } from './urls';

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

	/** A failure that asking again cannot help (the answer is not what was asked for). */
	static final(message: string, url: string, status?: number): UrlFetchError {
		return new UrlFetchError(message, url, status, undefined, false);
	}
}

/** The first answer that is not a redirect, body unread. */
export interface OpenedUrl {
	response: FullResponse;
	url: string;
	status: number;
	/** Lower-cased, without parameters; empty when absent. */
	contentType: string;
	/**
	 * The answer is CometAPI's own (the API host), so its body may be quoted in an error. Any
	 * other host's body text never comes back into an error: an AI Agent reads the error.
	 */
	fromApiHost: boolean;
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
			url = redirectTarget(url, location, status);
			continue;
		}
		const contentType = (header(response, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
		return { response, url, status, contentType, fromApiHost: sameOrigin(url, apiRoot) };
	}
	throw new UrlFetchError(`more than ${MAX_HOPS} redirects`, url);
}

function parseUrl(value: string, base: string): URL | undefined {
	try {
		return new URL(value, base);
	} catch {
		return undefined;
	}
}

/**
 * Where a redirect points, as a final error unless it is an http(s) URL: axios would decode a
 * `data:` URL into a body (an image nobody fetched), and `file:` or `ftp:` can only fail. The
 * error names the scheme alone, never the URL (a data: URL is its whole content).
 */
function redirectTarget(from: string, location: string, status: number): string {
	const target = parseUrl(location, from);
	if (!target) {
		throw UrlFetchError.final(
			`redirected (HTTP ${status}) to a Location that is not a URL`,
			from,
			status,
		);
	}
	if (!isHttpUrl(target.toString())) {
		const scheme = target.protocol.replace(/:$/, '').slice(0, 20);
		throw UrlFetchError.final(
			`redirected (HTTP ${status}) to a URL of scheme ${scheme}:, which is not followed: only http and https are`,
			from,
			status,
		);
	}
	return target.toString();
}

const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/;

/**
 * The content type as an error may show it: a header is text the host chose too, so anything
 * but a plain `type/subtype` is not repeated.
 */
export function shownContentType(opened: OpenedUrl): string {
	if (!opened.contentType) return 'no content type';
	return MIME_TYPE.test(opened.contentType) ? opened.contentType : 'a malformed content type';
}

/**
 * What an error may say of another host's answer: content type, declared size and host. Its
 * body text never comes back into an error (an AI Agent reads errors, and a hostile page could
 * say anything); CometAPI's own answers are quoted, since their messages are the useful part.
 */
function factsOf(opened: OpenedUrl, withType: boolean): string {
	const length = declaredLength(opened);
	return [
		withType ? shownContentType(opened) : undefined,
		length === undefined ? 'size not declared' : `${length} bytes`,
		`from ${hostOf(opened.url) ?? 'an unknown host'}; not CometAPI, so its body is not quoted`,
	]
		.filter(Boolean)
		.join(', ');
}

/** CometAPI's answer read to a small cap and quoted; another host's discarded unread. */
async function quoted(opened: OpenedUrl): Promise<string | undefined> {
	if (!opened.fromApiHost) {
		discard(opened.response.body);
		return undefined;
	}
	return excerpt((await readCapped(opened.response.body, MAX_EXCERPT_BYTES)).text);
}

/** A non-2xx answer as an error. */
export async function statusError(opened: OpenedUrl): Promise<UrlFetchError> {
	const text = await quoted(opened);
	return new UrlFetchError(
		text === undefined
			? `HTTP ${opened.status} (${factsOf(opened, true)})`
			: `HTTP ${opened.status}: ${text}`,
		opened.url,
		opened.status,
		opened.response.headers['retry-after'],
	);
}

/** A 2xx answer of the wrong kind as a final error. */
export async function wrongTypeError(opened: OpenedUrl, wanted: string): Promise<UrlFetchError> {
	const text = await quoted(opened);
	const answered = `answered ${shownContentType(opened)} instead of ${wanted}`;
	return UrlFetchError.final(
		text === undefined ? `${answered} (${factsOf(opened, false)})` : `${answered}: ${text}`,
		opened.url,
		opened.status,
	);
}

/**
 * A body the caller has read (a JSON answer) that is not what it wanted, as a final error:
 * `${what}: excerpt` for CometAPI's answer, `${what} (facts)` for any other host's.
 */
export function unusableAnswerError(opened: OpenedUrl, text: string, what: string): UrlFetchError {
	return UrlFetchError.final(
		opened.fromApiHost ? `${what}: ${excerpt(text)}` : `${what} (${factsOf(opened, true)})`,
		opened.url,
		opened.status,
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
