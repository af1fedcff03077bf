import { watchChunks } from '../transport/body';
import type { Scope } from '../transport/runtime';

export interface TransferGuard {
	/** Starts counting what a reader takes from the body. */
	watch(stream: NodeJS.ReadableStream): void;
	stop(): void;
	/** Why the transfer was cut, once it was. */
	reason(): string | undefined;
}

/**
 * Cuts one download attempt (aborts `attempt`) whose body stalls (no byte for the stall limit),
 * runs past `maxMs`, or grows past `maxBytes`; `reason` then says which. Time is the job's
 * clock, so every limit is testable without waiting it out.
 */
export function guardTransfer(
	scope: Scope,
	attempt: AbortController,
	limits: { maxMs: number; maxBytes?: number },
): TransferGuard {
	const { clock } = scope.runtime;
	const stallMs = scope.runtime.limits.downloadStallMs;
	const started = clock.now();
	let lastByte = started;
	let bytes = 0;
	let reason: string | undefined;
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
				cut(`the download took longer than ${limits.maxMs / 60_000} minutes`);
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
					cut(`it is larger than ${limits.maxBytes / 1024 / 1024} MB`);
				}
			});
		},
		stop: () => stopped.abort(),
		reason: () => reason,
	};
}
