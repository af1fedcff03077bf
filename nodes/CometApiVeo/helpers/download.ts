import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { apiError, describeNetworkCode, networkErrorCode } from '../transport/errors';
import { throwIfCancelled } from '../transport';
import type { AttemptFailure } from '../transport/retry';
import { withRetries } from '../transport/retry';
import { openVideoStream, VideoFetchError } from '../transport/video-stream';
import type { VideoTask } from './task';

interface DownloadFailure extends AttemptFailure {
	message: string;
}

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
	const outcome = await withRetries<IBinaryData, DownloadFailure>(this, 'read', async () => {
		try {
			const video = await openVideoStream.call(this, task.id, task.video_url);
			url = video.url;
			const binary = await this.helpers.prepareBinaryData(video.stream as never, fileName, video.mimeType);
			if (video.length !== undefined && binary.bytes !== video.length) {
				throwIfCancelled(this);
				return { failure: { networkCode: 'ESHORTBODY', message: `got ${String(binary.bytes)} of ${video.length} bytes` } };
			}
			return { value: binary };
		} catch (error) {
			throwIfCancelled(this);
			if (error instanceof VideoFetchError) {
				url = error.url;
				return { failure: { status: error.status, retryAfter: error.retryAfter, message: error.message, final: !error.retryable } };
			}
			const code = networkErrorCode(error);
			return { failure: { networkCode: code, message: describeNetworkCode(code) } };
		}
	});
	if ('value' in outcome) return outcome.value;
	throw apiError(this, {
		message: `Task ${task.id} finished, but its video could not be downloaded from ${safeUrl(url)}: ${outcome.failure.message}`,
		description: `The job succeeded and is not lost: retrieve task ${task.id} again later, or use its URL.`,
		itemIndex,
	});
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
