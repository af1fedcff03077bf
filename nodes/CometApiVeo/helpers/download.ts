import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { getApiRoot } from '../transport';
import { excerpt } from '../transport/body';
import { apiError, describeNetworkCode, networkErrorCode } from '../transport/errors';
import type { AttemptFailure, AttemptResult } from '../transport/retry';
import { withRetries } from '../transport/retry';
import type { Scope } from '../transport/runtime';
import { throwIfAborted } from '../transport/runtime';
import { safeUrl } from '../transport/urls';
import type { VideoStream } from '../transport/video-stream';
import { openVideoUrl, VideoFetchError } from '../transport/video-stream';
import type { VideoTask } from './task';
import { videoUrlOf } from './task';

interface DownloadFailure extends AttemptFailure {
	message: string;
}

/** Some routes answer JSON that holds the video's URL; following one such answer is enough. */
const MAX_JSON_HOPS = 2;

/** Opens the task's video: its URL, else the content route, following JSON answers to a URL. */
async function openVideo(
	this: IExecuteFunctions,
	scope: Scope,
	signal: AbortSignal,
	task: VideoTask,
	at: { url: string },
): Promise<VideoStream> {
	for (let hop = 0; hop <= MAX_JSON_HOPS; hop++) {
		const opened = await openVideoUrl.call(this, scope, signal, at.url);
		at.url = opened.url;
		if (opened.kind === 'video') return opened;
		let next: string | null = null;
		try {
			next = videoUrlOf(JSON.parse(opened.text) as never);
		} catch {
			next = null;
		}
		if (!next)
			throw new VideoFetchError(
				`the answer holds no video URL: ${excerpt(opened.text)}`,
				opened.url,
				200,
				undefined,
				false,
			);
		at.url = next;
	}
	throw new VideoFetchError(
		`more than ${MAX_JSON_HOPS} answers pointing elsewhere`,
		at.url,
		200,
		undefined,
		false,
	);
}

/**
 * Aborts a download attempt whose body stalls (no byte for the stall limit) or runs past the
 * overall limit; `reason` then says which.
 */
function startWatchdog(scope: Scope, maxMs: number, attempt: AbortController) {
	const { clock, limits } = scope.runtime;
	const started = clock.now();
	let lastByte = started;
	let reason: string | undefined;
	const stopped = new AbortController();
	const tick = Math.max(1, Math.min(limits.downloadStallMs, maxMs) / 4);
	const loop = async () => {
		while (!reason) {
			await clock.sleep(tick, AbortSignal.any([stopped.signal, scope.signal]));
			const now = clock.now();
			if (now - started >= maxMs)
				reason = `the download took longer than ${maxMs / 60_000} minutes`;
			else if (now - lastByte >= limits.downloadStallMs)
				reason = `no data arrived for ${limits.downloadStallMs / 1000} s`;
		}
		attempt.abort(new Error(reason));
	};
	loop().catch(() => {});
	return {
		watch(stream: NodeJS.ReadableStream) {
			// Every chunk a reader takes is emitted as 'data' (read() emits it too), so watching the
			// emits sees progress; a 'data' listener instead would start the stream flowing early.
			const emit = stream.emit.bind(stream);
			stream.emit = (event: string | symbol, ...args: unknown[]) => {
				if (event === 'data') lastByte = clock.now();
				return emit(event, ...args);
			};
		},
		stop: () => stopped.abort(),
		reason: () => reason,
	};
}

/**
 * Streams a finished task's video into n8n's binary store (prepareBinaryData from a stream),
 * so a large video never sits whole in memory. A body that stalls, runs past `maxMs`, is empty
 * or is shorter than its Content-Length is a failed attempt, never a delivered file; failed
 * attempts are retried like any read.
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

	const outcome = await withRetries<IBinaryData, DownloadFailure>(
		scope,
		'read',
		async (): Promise<AttemptResult<IBinaryData, DownloadFailure>> => {
			at.url = start;
			const attempt = new AbortController();
			const watchdog = startWatchdog(scope, maxMs, attempt);
			try {
				const video = await openVideo.call(
					this,
					scope,
					AbortSignal.any([scope.signal, attempt.signal]),
					task,
					at,
				);
				watchdog.watch(video.stream);
				const binary = await this.helpers.prepareBinaryData(
					video.stream as never,
					fileName,
					video.mimeType,
				);
				if (binary.bytes === 0)
					return { failure: { networkCode: 'EEMPTYBODY', message: 'the answer was empty' } };
				if (video.length !== undefined && binary.bytes !== video.length) {
					return {
						failure: {
							networkCode: 'ESHORTBODY',
							message: `got ${binary.bytes} of ${video.length} bytes`,
						},
					};
				}
				return { value: binary };
			} catch (error) {
				throwIfAborted(scope.signal);
				const cut = watchdog.reason();
				if (cut) return { failure: { networkCode: 'ETIMEDOUT', message: cut } };
				if (error instanceof VideoFetchError) {
					at.url = error.url;
					return {
						failure: {
							status: error.status,
							retryAfter: error.retryAfter,
							message: error.message,
							final: !error.retryable,
						},
					};
				}
				const code = networkErrorCode(error);
				return { failure: { networkCode: code, message: describeNetworkCode(code) } };
			} finally {
				watchdog.stop();
			}
		},
	);
	if ('value' in outcome) return outcome.value;
	throw apiError(this, {
		message: `Task ${task.id} finished, but its video could not be downloaded from ${safeUrl(at.url)}: ${outcome.failure.message}`,
		description: `The job succeeded and is not lost: retrieve task ${task.id} again later, or use its URL.`,
		itemIndex: scope.itemIndex,
	});
}
