import type { IExecuteFunctions } from 'n8n-workflow';

import { MAX_EXCERPT_BYTES, readCapped } from '../../transport/body';
import type { OpenedUrl } from '../../transport/open-url';
import { openUrl, statusError, wrongTypeError } from '../../transport/open-url';
import type { Scope } from '../../transport/runtime';

/** An open video body, not yet read. */
export interface VideoStream {
	kind: 'video';
	stream: NodeJS.ReadableStream;
	url: string;
	mimeType: string;
}

/** A success answer in JSON instead of bytes: some routes answer with the video's URL. */
export interface VideoJson {
	kind: 'json';
	text: string;
	url: string;
	/** The answer it came in (body read), for an error that says what may be said of it. */
	opened: OpenedUrl;
}

const VIDEO_TYPES = /^(video\/|application\/octet-stream$|binary\/octet-stream$|application\/mp4$)/;

/**
 * Opens a video URL: a result URL on a storage host, or CometAPI's content route (the only one
 * that gets the key). Bodies that are not the video are read to a small cap, the rest destroyed.
 */
export async function openVideoUrl(
	this: IExecuteFunctions,
	scope: Scope,
	signal: AbortSignal,
	start: string,
): Promise<VideoStream | VideoJson> {
	const opened = await openUrl.call(this, scope, signal, start, { keyOnApiHost: true });
	const { status, contentType, url } = opened;
	if (status < 200 || status >= 300) throw await statusError(opened);
	if (contentType === 'application/json') {
		return {
			kind: 'json',
			text: (await readCapped(opened.response.body, MAX_EXCERPT_BYTES)).text,
			url,
			opened,
		};
	}
	if (contentType && !VIDEO_TYPES.test(contentType)) throw await wrongTypeError(opened, 'a video');
	return {
		kind: 'video',
		stream: opened.response.body as NodeJS.ReadableStream,
		url,
		mimeType: contentType && !contentType.endsWith('octet-stream') ? contentType : 'video/mp4',
	};
}
