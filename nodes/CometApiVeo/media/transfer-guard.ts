import { watchChunks } from '../transport/body';
import { PolicyRefusal } from '../transport/egress-policy';
import { describeNetworkCode, networkErrorCode } from '../transport/errors';
import { UrlFetchError } from '../transport/open-url';
import type { AttemptFailure } from '../transport/retry';
import type { Scope } from '../transport/runtime';
import { throwIfAborted } from '../transport/runtime';

/** A failed transfer attempt, with words for the error the last one becomes. */
export interface TransferFailure extends AttemptFailure {
	message: string;
}

export interface TransferGuard {
	/** Starts counting what a reader takes from the body. */
	watch(stream: NodeJS.ReadableStream): void;
	/**
	 * The bytes the reader took so far: what the node itself saw. n8n 1.x's binary store answers
	 * without `bytes` (in every mode), so its answer cannot tell an empty file.
	 */
	received(): number;
	stop(): void;
	/** Why the transfer was cut, once it was. */
	reason(): string | undefined;
	/** The attempt's error as the retry loop takes it (a stop of the job is thrown instead). */
	failureOf(error: unknown): TransferFailure;
}

/**
 * Cuts one download attempt (aborts `attempt`) whose body stalls (no byte for the stall limit),
 * runs past `maxMs` (`tooSlow` says so), or grows past `maxBytes`; `reason` then says which.
 * Time is the job's clock, so every limit is testable without waiting it out.
 */
export function guardTransfer(
	scope: Scope,
	attempt: AbortController,
	limits: { maxMs: number; maxBytes?: number; tooSlow?: string },
): TransferGuard {
	const { clock } = scope.runtime;
	const stallMs = scope.runtime.limits.downloadStallMs;
	const started = clock.now();
	let lastByte = started;
	let bytes = 0;
	let reason: string | undefined;
	let tooLarge = false;
	const stopped = new AbortController();
	const cut = (why: string) => {
		reason ??= why;
		attempt.abort(new Error(why));
	};
	const tick = Math.max(1, Math.min(stallMs, limits.maxMs) / 4);
	const loop = async () => {
		while (!reason) {
			await clock.sleep(tick, AbortSignal.any([stopped.signal, scope.signal]));
			const now = clock.now();
			if (now - started >= limits.maxMs)
				cut(limits.tooSlow ?? `the download took longer than ${limits.maxMs / 60_000} minutes`);
			else if (now - lastByte >= stallMs) cut(`no data arrived for ${stallMs / 1000} s`);
		}
	};
	loop().catch(() => {});
	return {
		watch(stream) {
			watchChunks(stream, (chunk) => {
				lastByte = clock.now();
				bytes += chunk.length;
				if (limits.maxBytes !== undefined && bytes > limits.maxBytes) {
					tooLarge = true;
					cut(`it is larger than ${limits.maxBytes / 1024 / 1024} MB`);
				}
			});
		},
		received: () => bytes,
		stop: () => stopped.abort(),
		reason: () => reason,
		failureOf(error) {
			throwIfAborted(scope.signal);
			// A file too large stays too large; a slow or stalled one may come whole next time.
			if (reason) return { networkCode: 'ETIMEDOUT', message: reason, final: tooLarge };
			// The instance's SSRF policy answers the same every time: not retried.
			if (error instanceof PolicyRefusal) return { message: error.message, final: true };
			if (error instanceof UrlFetchError) {
				return {
					status: error.status,
					retryAfter: error.retryAfter,
					message: error.message,
					final: !error.retryable,
				};
			}
			const code = networkErrorCode(error);
			return { networkCode: code, message: describeNetworkCode(code) };
		},
	};
}
