import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { failedAs } from '../../failures';
import { getApiRoot } from '../../transport';
import type { BinaryStream } from '../../transport/body';
import { apiError } from '../../transport/errors';
import type { AttemptResult } from '../../transport/retry';
import { withRetries } from '../../transport/retry';
import type { Scope } from '../../transport/runtime';
import { safeUrl } from '../../transport/urls';
import type { VideoStream } from './stream';
import { UrlFetchError, unusableAnswerError } from '../../transport/open-url';
import { openVideoUrl } from './stream';
import type { VideoTask } from '../../cometapi/task';
import type { TransferFailure } from '../transfer-guard';
import { guardTransfer } from '../transfer-guard';
import { videoUrlOf } from '../../cometapi/task';

/** Some routes answer JSON that holds the video's URL: a couple of such answers are followed. */
const MAX_JSON_HOPS = 2;

/** Opens the video at `at.url`, following JSON answers that point to its URL; `at` tracks where it is. */
async function openVideo(
	this: IExecuteFunctions,
	scope: Scope,
	signal: AbortSignal,
	at: { url: string },
): Promise<VideoStream> {
	for (let hop = 0; hop <= MAX_JSON_HOPS; hop++) {
		const opened = await openVideoUrl.call(this, scope, signal, at.url);
		at.url = opened.url;
		if (opened.kind === 'video') return opened;
		let next: string | null = null;
		try {
			next = videoUrlOf(JSON.parse(opened.text) as IDataObject);
		} catch {
			next = null;
		}
		if (!next)
			throw unusableAnswerError(opened.opened, opened.text, 'the answer holds no video URL');
		at.url = next;
	}
	throw UrlFetchError.final(`more than ${MAX_JSON_HOPS} answers pointing elsewhere`, at.url, 200);
}

/**
 * Streams a finished task's video into n8n's binary store (prepareBinaryData from a stream),
 * so a large video never sits whole in memory. A body that stalls, runs past `maxMs` or is empty
 * is a failed attempt, never a delivered file, and so is one cut short: the HTTP client itself
 * refuses a plain body that ends before its Content-Length, and the decoder a compressed one
 * that ends early (axios decodes on the way and keeps the encoded Content-Length, so the node
 * does not compare lengths itself). Failed attempts are retried like any read.
 */
export async function downloadVideo(
	this: IExecuteFunctions,
	scope: Scope,
	task: VideoTask,
	fileName: string,
	maxMs: number,
): Promise<IBinaryData> {
	const start =
		task.video_url ??
		`${await getApiRoot.call(this, scope.itemIndex)}/v1/videos/${encodeURIComponent(task.id)}/content`;
	const at = { url: start };

	const outcome = await withRetries<IBinaryData, TransferFailure>(
		scope,
		'read',
		async (): Promise<AttemptResult<IBinaryData, TransferFailure>> => {
			at.url = start;
			const attempt = new AbortController();
			const watchdog = guardTransfer(scope, attempt, { maxMs });
			try {
				const video = await openVideo.call(
					this,
					scope,
					AbortSignal.any([scope.signal, attempt.signal]),
					at,
				);
				watchdog.watch(video.stream);
				const binary = await this.helpers.prepareBinaryData(
					video.stream as BinaryStream,
					fileName,
					video.mimeType,
				);
				if (watchdog.received() === 0)
					return { failure: { networkCode: 'EEMPTYBODY', message: 'the answer was empty' } };
				return { value: binary };
			} catch (error) {
				if (error instanceof UrlFetchError) at.url = error.url;
				return { failure: watchdog.failureOf(error) };
			} finally {
				watchdog.stop();
			}
		},
	);
	if ('value' in outcome) return outcome.value;
	const error = apiError(this, {
		message: `Task ${task.id} finished, but its video could not be downloaded from ${safeUrl(at.url)}: ${outcome.failure.message}`,
		description: `The job succeeded and is not lost: retrieve task ${task.id} again later, or use its URL.`,
		itemIndex: scope.itemIndex,
	});
	throw failedAs(error, { kind: 'download_failed', retryable: true });
}
