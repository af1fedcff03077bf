import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { apiError, describeNetworkCode, networkErrorCode } from '../transport/errors';
import { throwIfCancelled } from '../transport';
import { MAX_ATTEMPTS, retryDelayMs, shouldRetry } from '../transport/retry';
import { openVideoStream, VideoFetchError } from '../transport/video-stream';
import type { VideoTask } from './task';

class ShortBodyError extends Error {}

/**
 * Streams a finished task's video into n8n's binary store (prepareBinaryData from a stream),
 * so a large video never sits whole in memory. A body shorter than its Content-Length is an
 * error, never a truncated file. Failed downloads are retried like any read.
 */
export async function downloadVideo(
	this: IExecuteFunctions,
	task: VideoTask,
	fileName: string,
	itemIndex: number,
): Promise<IBinaryData> {
	let url = task.video_url ?? `the content route of ${task.id}`;
	for (let attempt = 1; ; attempt++) {
		let failure: { status?: number; networkCode?: string; retryAfter?: unknown; message: string; final?: boolean };
		try {
			const video = await openVideoStream.call(this, task.id, task.video_url);
			url = video.url;
			const binary = await this.helpers.prepareBinaryData(video.stream as never, fileName, video.mimeType);
			if (video.length !== undefined && binary.bytes !== video.length) {
				throw new ShortBodyError(`got ${String(binary.bytes)} of ${video.length} bytes`);
			}
			return binary;
		} catch (error) {
			throwIfCancelled(this);
			if (error instanceof VideoFetchError) {
				url = error.url;
				failure = { status: error.status, retryAfter: error.retryAfter, message: error.message, final: !error.retryable };
			} else if (error instanceof ShortBodyError) {
				failure = { networkCode: 'ESHORTBODY', message: error.message };
			} else {
				const code = networkErrorCode(error);
				failure = { networkCode: code, message: describeNetworkCode(code) };
			}
		}
		if (attempt < MAX_ATTEMPTS && !failure.final && shouldRetry('read', failure)) {
			await sleep(retryDelayMs(attempt - 1, failure.retryAfter), this.getExecutionCancelSignal());
			continue;
		}
		throw apiError(this, {
			message: `Task ${task.id} finished, but its video could not be downloaded from ${safeUrl(url)}: ${failure.message}`,
			description: `The job succeeded and is not lost: retrieve task ${task.id} again later, or use its URL.`,
			itemIndex,
		});
	}
}

/** URLs of result videos may be signed: show them without their query string. */
function safeUrl(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.origin}${parsed.pathname}`;
	} catch {
		return url;
	}
}
