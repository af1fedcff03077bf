import { sleep } from 'n8n-workflow';

import type { Runtime } from '../../nodes/CometApiVeo/transport/runtime';

/**
 * The node's runtime with time running `scale` times faster: a 10 s poll interval or a 15 s
 * Retry-After takes milliseconds, and Max Wait is measured on the same clock, so the node
 * behaves exactly as it would, only sooner. Handed to the node through its router, as the
 * shipped node hands it the system clock.
 */
export function fastRuntime(options: { scale?: number; downloadStallMs?: number; requestTimeoutMs?: number } = {}): Runtime {
	const scale = options.scale ?? 100;
	const start = Date.now();
	return {
		clock: {
			now: () => start + (Date.now() - start) * scale,
			sleep: async (ms, signal) => await sleep(ms / scale, signal),
		},
		limits: {
			requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
			downloadStallMs: options.downloadStallMs ?? 10_000,
		},
	};
}
