import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { discard, excerpt, MAX_EXCERPT_BYTES, readCapped } from './body';
import type { FullResponse } from './index';
import { getApiRoot, sendAuthenticated } from './index';
import type { Scope } from './runtime';
import { sameOrigin } from './urls';

/** An open video body, not yet read. */
export interface VideoStream {
	kind: 'video';
	stream: NodeJS.ReadableStream;
	url: string;
	mimeType: string;
	/**
	 * From Content-Length, only where it counts the bytes that will be read: not when the body
	 * was compressed and is being decoded on the way.
	 */
	length?: number;
}

/** A success answer in JSON instead of bytes: some routes answer with the video's URL. */
export interface VideoJson {
	kind: 'json';
	text: string;
	url: string;
}

/** An HTTP failure of a video download, with what the retry decision needs. */
export class VideoFetchError extends Error {
	constructor(
		message: string,
		readonly url: string,
		readonly status?: number,
		readonly retryAfter?: unknown,
		/** False when asking again cannot help (the answer is not a video at all). */
		readonly retryable = true,
	) {
		super(message);
	}
}

export const MAX_HOPS = 5;

const VIDEO_TYPES = /^(video\/|application\/octet-stream$|binary\/octet-stream$|application\/mp4$)/;

function header(response: FullResponse, name: string): string | undefined {
	const value = response.headers[name];
	return typeof value === 'string' ? value : Array.isArray(value) ? String(value[0]) : undefined;
}

/**
 * axios decodes gzip, deflate and brotli bodies on the fly and then drops Content-Encoding but
 * keeps Content-Length, which still counts the encoded bytes. A body it decodes is a zlib
 * stream rather than the socket's own message (which has rawHeaders), so that is the test.
 */
function isUndecoded(stream: unknown): boolean {
	return Array.isArray((stream as { rawHeaders?: unknown }).rawHeaders);
}

/**
 * Opens a video URL: a result URL on a storage host, or CometAPI's content route. The key goes
 * only to the API host: any other host (a CDN, a redirect's Location) is fetched without
 * credentials, and redirects are followed here, by hand, so that this rule holds on every hop.
 * Bodies that are not the video are read to a small cap and the rest destroyed.
 */
export async function openVideoUrl(
	this: IExecuteFunctions,
	scope: Scope,
	signal: AbortSignal,
	start: string,
): Promise<VideoStream | VideoJson> {
	const apiRoot = await getApiRoot.call(this, scope.itemIndex);
	let url = start;
	for (let hop = 0; hop <= MAX_HOPS; hop++) {
		const options: IHttpRequestOptions = {
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
		const response: FullResponse = sameOrigin(url, apiRoot)
			? await sendAuthenticated.call(this, signal, options)
			: ((await this.helpers.httpRequest({ ...options, abortSignal: signal })) as FullResponse);
		const status = response.statusCode;
		const contentType = (header(response, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
		const location = header(response, 'location');

		if (status >= 300 && status < 400 && location) {
			discard(response.body);
			url = new URL(location, url).toString();
			continue;
		}
		if (status >= 200 && status < 300 && contentType === 'application/json') {
			return { kind: 'json', text: (await readCapped(response.body, MAX_EXCERPT_BYTES)).text, url };
		}
		if (status >= 200 && status < 300) {
			if (contentType && !VIDEO_TYPES.test(contentType)) {
				const { text } = await readCapped(response.body, MAX_EXCERPT_BYTES);
				throw new VideoFetchError(
					`answered ${contentType} instead of a video: ${excerpt(text)}`,
					url,
					status,
					undefined,
					false,
				);
			}
			const declared = header(response, 'content-length');
			const length =
				declared !== undefined && isUndecoded(response.body) ? Number(declared) : undefined;
			return {
				kind: 'video',
				stream: response.body as NodeJS.ReadableStream,
				url,
				mimeType: contentType && !contentType.endsWith('octet-stream') ? contentType : 'video/mp4',
				length: Number.isFinite(length) ? length : undefined,
			};
		}
		const { text } = await readCapped(response.body, MAX_EXCERPT_BYTES);
		throw new VideoFetchError(
			`HTTP ${status}: ${excerpt(text)}`,
			url,
			status,
			response.headers['retry-after'],
		);
	}
	throw new VideoFetchError(`more than ${MAX_HOPS} redirects`, url);
}
