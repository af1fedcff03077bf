import type { IExecuteFunctions } from 'n8n-workflow';

import { fieldError } from '../../failures';
import { readText } from '../../helpers/parameters';
import type { BinaryStream } from '../../transport/body';
import {
	declaredLength,
	openUrl,
	shownContentType,
	statusError,
	UrlFetchError,
} from '../../transport/open-url';
import type { AttemptResult } from '../../transport/retry';
import { DeadlineReached, withRetries } from '../../transport/retry';
import type { Scope } from '../../transport/runtime';
import { isHttpUrl, safeUrl } from '../../transport/urls';
import type { TransferFailure } from '../transfer-guard';
import { guardTransfer } from '../transfer-guard';
import type { Frame, FrameSource } from './image';
import { headOf, MAX_FRAME_BYTES, sniffImage } from './image';

/** What a fetched image is called in n8n's binary store (parts are named by appendFrames). */
const FETCHED_FRAME_NAME = 'frame';

/** An image URL field: an http(s) URL, checked while items are checked; fetched later. */
export function readFrameUrl(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	fieldLabel: string,
): FrameSource {
	const url = readText(ctx, itemIndex, value, fieldLabel);
	if (!url)
		throw fieldError(
			ctx,
			itemIndex,
			fieldLabel,
			'is empty',
			'Give the http(s) URL of a PNG, JPEG or WebP image.',
		);
	if (!isHttpUrl(url)) {
		throw fieldError(
			ctx,
			itemIndex,
			fieldLabel,
			`is not an http(s) URL: ${JSON.stringify(safeUrl(url).slice(0, 100))}`,
		);
	}
	return { kind: 'url', url, field: fieldLabel };
}

/**
 * Fetches an image URL without any credential (redirects by hand, the CometAPI key on no hop)
 * and streams it into n8n's binary store, then checks it like a binary frame: not empty, not
 * over MAX_FRAME_BYTES, and an image by its first bytes. Only bytes that pass leave for
 * CometAPI. A failure names the item, the field and the URL without its query string.
 */
export async function fetchFrame(
	this: IExecuteFunctions,
	scope: Scope,
	source: FrameSource,
): Promise<Frame> {
	if (source.kind === 'binary') return source.frame;
	// One bound for the whole fetch (runtime.limits.imageFetchMs: MAX_IMAGE_FETCH_MS as shipped).
	const boundMs = scope.runtime.limits.imageFetchMs;
	const tooSlow = `the image took longer than ${boundMs / 1000} s to arrive`;
	const deadline = scope.runtime.clock.now() + boundMs;
	const fetchOnce = async (): Promise<AttemptResult<Frame, TransferFailure>> => {
		const attempt = new AbortController();
		// Each attempt gets what is left of the whole fetch's time.
		const guard = guardTransfer(scope, attempt, {
			maxMs: Math.max(1, deadline - scope.runtime.clock.now()),
			maxBytes: MAX_FRAME_BYTES,
			tooSlow,
		});
		try {
			const opened = await openUrl.call(
				this,
				scope,
				AbortSignal.any([scope.signal, attempt.signal]),
				source.url,
				{
					keyOnApiHost: false,
				},
			);
			if (opened.status < 200 || opened.status >= 300) throw await statusError(opened);
			const length = declaredLength(opened);
			if (length !== undefined && length > MAX_FRAME_BYTES) {
				throw UrlFetchError.final(
					`it is larger than ${MAX_FRAME_BYTES / 1024 / 1024} MB`,
					opened.url,
					200,
				);
			}
			const stream = opened.response.body as NodeJS.ReadableStream;
			guard.watch(stream);
			const binary = await this.helpers.prepareBinaryData(
				stream as BinaryStream,
				// The node's own name: nothing of the URL, which anyone may have written.
				FETCHED_FRAME_NAME,
				opened.contentType || undefined,
			);
			// Counted by the node, not read from the store: n8n 1.x's store answers without a size.
			const size = guard.received();
			if (size === 0) return { failure: { message: 'the answer was empty', final: true } };
			const mimeType = sniffImage(await headOf(this, binary));
			if (!mimeType) {
				const declared = shownContentType(opened);
				return {
					failure: {
						message: `the answer (${declared}) is not a PNG, JPEG or WebP image`,
						final: true,
					},
				};
			}
			const storedSize = binary.id ? size : undefined;
			return { value: { binary: { ...binary, mimeType }, mimeType, storedSize } };
		} catch (error) {
			return { failure: guard.failureOf(error) };
		} finally {
			guard.stop();
		}
	};
	// Past the deadline no attempt is left: the bound, and what the last one met if it differs.
	const outcome = await withRetries(scope, 'read', fetchOnce, deadline).catch((error: unknown) => {
		if (!(error instanceof DeadlineReached)) return Promise.reject(error);
		const last = (error.lastFailure as TransferFailure).message;
		return {
			failure: { message: last === tooSlow ? tooSlow : `${tooSlow} (the last attempt: ${last})` },
		};
	});
	if ('value' in outcome) return outcome.value;
	const failure = outcome.failure.message;
	throw fieldError(
		this,
		scope.itemIndex,
		source.field,
		`the image at ${safeUrl(source.url)} could not be used: ${failure}`,
		'Nothing was sent to CometAPI for this item, so nothing was billed. The URL is fetched from the n8n host, without credentials.',
		'statement',
	);
}

// Image URLs are fetched once per item, whatever its number of videos.
const fetchedFrames = new WeakMap<object, Promise<Frame[]>>();

/**
 * An item's frames, ready to send: its URL frames are fetched by the first of its jobs that
 * asks (`item` is what the jobs of one item share, its plan), and the others wait for those.
 */
export async function fetchFramesOnce(
	this: IExecuteFunctions,
	item: object,
	scope: Scope,
	sources: FrameSource[],
): Promise<Frame[]> {
	let frames = fetchedFrames.get(item);
	if (!frames) {
		frames = Promise.all(sources.map(async (source) => await fetchFrame.call(this, scope, source)));
		fetchedFrames.set(item, frames);
	}
	return await frames;
}
