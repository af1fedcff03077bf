import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { videoUrlOf } from '../helpers/task';
import type { FullResponse } from './index';
import { getApiRoot, sendAuthenticated } from './index';

/** An open video body, not yet read. */
export interface VideoStream {
	stream: NodeJS.ReadableStream;
	url: string;
	mimeType: string;
	/** From Content-Length, when the server sent one. */
	length?: number;
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

const MAX_HOPS = 5;

function sameOrigin(a: string, b: string): boolean {
	try {
		return new URL(a).origin === new URL(b).origin;
	} catch {
		return false;
	}
}

function header(response: FullResponse, name: string): string | undefined {
	const value = response.headers[name];
	return typeof value === 'string' ? value : Array.isArray(value) ? String(value[0]) : undefined;
}

/** Reads a (small) non-video body whole: a JSON answer, an error page, a redirect's body. */
async function drain(ctx: IExecuteFunctions, body: unknown): Promise<string> {
	if (body && typeof (body as NodeJS.ReadableStream).pipe === 'function') {
		return (await ctx.helpers.binaryToBuffer(body as never)).toString('utf8');
	}
	return typeof body === 'string' ? body : JSON.stringify(body ?? '');
}

const VIDEO_TYPES = /^(video\/|application\/octet-stream$|binary\/octet-stream$|application\/mp4$)/;

/**
 * Opens the finished video of a task: its `video_url`, or else CometAPI's content route.
 * The key goes only to the API host: URLs on any other host (a CDN, a redirect's Location,
 * a URL in a JSON answer) are fetched without credentials. Redirects are followed here, by
 * hand, so that this rule holds on every hop.
 */
export async function openVideoStream(
	this: IExecuteFunctions,
	taskId: string,
	videoUrl: string | null,
): Promise<VideoStream> {
	const apiRoot = await getApiRoot.call(this);
	let url = videoUrl ?? `${apiRoot}/v1/videos/${encodeURIComponent(taskId)}/content`;

	for (let hop = 0; hop < MAX_HOPS; hop++) {
		const options: IHttpRequestOptions = {
			method: 'GET',
			url,
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: 120_000,
		};
		const response: FullResponse = sameOrigin(url, apiRoot)
			? await sendAuthenticated.call(this, options)
			: ((await this.helpers.httpRequest({
					...options,
					abortSignal: this.getExecutionCancelSignal(),
				})) as FullResponse);
		const status = response.statusCode;
		const contentType = (header(response, 'content-type') ?? '').split(';')[0].trim().toLowerCase();

		if (status >= 300 && status < 400 && header(response, 'location')) {
			await drain(this, response.body);
			url = new URL(header(response, 'location')!, url).toString();
			continue;
		}
		if (status >= 200 && status < 300 && contentType === 'application/json') {
			// Some routes answer JSON holding the URL rather than the bytes.
			const text = await drain(this, response.body);
			let next: string | null = null;
			try {
				next = videoUrlOf(JSON.parse(text) as never);
			} catch {
				next = null;
			}
			if (!next) {
				throw new VideoFetchError(`the answer holds no video URL: ${text.slice(0, 200)}`, url, status, undefined, false);
			}
			url = next;
			continue;
		}
		if (status >= 200 && status < 300) {
			if (contentType && !VIDEO_TYPES.test(contentType)) {
				const text = await drain(this, response.body);
				throw new VideoFetchError(`answered ${contentType} instead of a video: ${text.slice(0, 200)}`, url, status, undefined, false);
			}
			// Content-Length counts encoded bytes: only a plain body can be checked against it.
			const encoding = (header(response, 'content-encoding') ?? 'identity').toLowerCase();
			const length = Number(header(response, 'content-length'));
			return {
				stream: response.body as NodeJS.ReadableStream,
				url,
				mimeType: contentType && !contentType.endsWith('octet-stream') ? contentType : 'video/mp4',
				length: encoding === 'identity' && header(response, 'content-length') && Number.isFinite(length) ? length : undefined,
			};
		}
		const text = await drain(this, response.body);
		throw new VideoFetchError(`HTTP ${status}: ${text.slice(0, 200)}`, url, status, response.headers['retry-after']);
	}
	throw new VideoFetchError(`more than ${MAX_HOPS} redirects`, url);
}
