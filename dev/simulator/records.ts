/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test-side server: the community-node rules bind the shipped node, not this */
import type { IncomingMessage } from 'node:http';
import type { RecordedRequest, ServerName } from './types';

/** Every request to either server, in arrival order, and the measures derived from them. */
export class RequestLog {
	readonly requests: RecordedRequest[] = [];
	private nextSeq = 1;

	open(server: ServerName, req: IncomingMessage): RecordedRequest {
		const url = new URL(req.url ?? '/', 'http://simulator');
		const record: RecordedRequest = {
			seq: this.nextSeq++,
			at: Date.now(),
			server,
			method: req.method ?? 'GET',
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			headers: flattenHeaders(req.headers),
			fields: {},
			files: [],
			body: Buffer.alloc(0),
		};
		this.requests.push(record);
		return record;
	}

	creates(): RecordedRequest[] {
		return this.requests.filter(isCreate);
	}

	requestsFor(taskId: string): RecordedRequest[] {
		return this.requests.filter((r) => r.taskId === taskId);
	}

	/**
	 * A job is in flight from its create to the last request that touched it; the answer is
	 * the most [first seq, last seq] intervals that share a seq. Uses seq only, no wall clock.
	 */
	maxJobsInFlight(): number {
		const spans = new Map<string, { first: number; last: number }>();
		for (const { taskId, seq } of this.requests) {
			if (taskId === undefined) continue;
			const span = spans.get(taskId);
			if (span) span.last = seq;
			else spans.set(taskId, { first: seq, last: seq });
		}
		// Starts sort before ends at the same seq, so touching intervals count as overlapping.
		const events = [...spans.values()].flatMap(({ first, last }) => [
			{ seq: first, delta: 1 },
			{ seq: last, delta: -1 },
		]);
		events.sort((a, b) => a.seq - b.seq || b.delta - a.delta);
		let open = 0;
		let max = 0;
		for (const { delta } of events) {
			open += delta;
			max = Math.max(max, open);
		}
		return max;
	}

	clear(): void {
		this.requests.length = 0;
		this.nextSeq = 1;
	}
}

export function isCreate(record: RecordedRequest): boolean {
	return record.server === 'api' && record.method === 'POST' && record.path === '/v1/videos';
}

function flattenHeaders(headers: IncomingMessage['headers']): Record<string, string> {
	const flat: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return flat;
}
