import { sleep } from 'n8n-workflow';

import type { Clock, Runtime } from '../../nodes/CometApiVeo/transport/runtime';

/**
 * A clock on which the node's own waits run `scale` times faster while everything else (an
 * HTTP exchange, the engine's work) takes its real time: time flows at `scale` while at least
 * one sleep is pending and at 1 otherwise. A 10 s poll interval or a 15 s Retry-After then
 * takes milliseconds, yet a request's latency is not magnified against Max Wait.
 */
export function warpedClock(scale: number): Clock {
	let virtual = Date.now();
	let lastReal = Date.now();
	let sleeping = 0;
	const advance = () => {
		const real = Date.now();
		virtual += (real - lastReal) * (sleeping > 0 ? scale : 1);
		lastReal = real;
		return virtual;
	};
	return {
		now: advance,
		sleep: async (ms, signal) => {
			advance();
			sleeping++;
			try {
				await sleep(ms / scale, signal);
			} finally {
				advance();
				sleeping--;
			}
		},
	};
}

/**
 * The node's runtime for engine tests, handed to the node through its router as the shipped
 * node is handed the system clock: waits 100 times faster, limits as given.
 */
export function fastRuntime(
	options: {
		scale?: number;
		downloadStallMs?: number;
		requestTimeoutMs?: number;
		imageFetchMs?: number;
		catalogueReadMs?: number;
	} = {},
): Runtime {
	return {
		clock: warpedClock(options.scale ?? 100),
		limits: {
			requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
			// On the warped clock: 1000 s of it is about 10 s of real time with a sleep pending.
			downloadStallMs: options.downloadStallMs ?? 1_000_000,
			// Likewise: a minute of real time with a sleep pending, so a slow machine fails no fetch.
			imageFetchMs: options.imageFetchMs ?? 6_000_000,
			// The catalogue read's own bound sleeps throughout the read, so the clock runs fast
			// all along it: the shipped 5 s would be 50 ms of real time. A test that means the
			// shipped bound passes it.
			catalogueReadMs: options.catalogueReadMs ?? 1_000_000,
		},
		memo: new Map(),
	};
}
