import { errorReply, wrongPathReply } from './errors';
import { rawReply, type Reply } from './http';
import type { FaultSpec, RecordedRequest } from './types';

// Injected faults: what a test asks the hosts to do wrong, and how each fault shapes an answer.
// The request pipeline (exchange.ts) asks the queue for the fault of each request.

interface QueuedFault {
	spec: FaultSpec;
	remaining: number;
}

/** Injected faults, matched in the order queued; each is used up after `times` matching requests. */
export class FaultQueue {
	private queue: QueuedFault[] = [];

	add(spec: FaultSpec): void {
		checkFault(spec);
		this.queue.push({ spec, remaining: spec.times ?? 1 });
	}

	/** The fault that shapes this request, consuming one use of it. */
	take(record: RecordedRequest): FaultSpec | undefined {
		const found = this.queue.find((fault) => fault.remaining > 0 && matches(fault.spec, record));
		if (!found) return undefined;
		found.remaining--;
		this.queue = this.queue.filter((fault) => fault.remaining > 0);
		return found.spec;
	}

	clear(): void {
		this.queue = [];
	}
}

function matches({ match }: FaultSpec, record: RecordedRequest): boolean {
	if (match.server !== undefined && match.server !== record.server) return false;
	if (match.method !== undefined && match.method.toUpperCase() !== record.method.toUpperCase()) return false;
	if (match.path !== undefined) {
		match.path.lastIndex = 0; // a /g or /y regex keeps state between tests
		if (!match.path.test(record.path)) return false;
	}
	return true;
}

function checkFault(spec: FaultSpec): void {
	if (spec.kind === 'status' && spec.status === undefined) throw new Error("fault kind 'status' needs a status");
	if (spec.kind === 'delay' && spec.delayMs === undefined) throw new Error("fault kind 'delay' needs delayMs");
	if (spec.times !== undefined && !(spec.times >= 1)) throw new Error('fault times must be at least 1');
}

/** Faults that answer without touching any state. */
export function faultReply(fault: FaultSpec | undefined): Reply | undefined {
	if (fault?.kind === 'html-301') return wrongPathReply(fault.body);
	if (fault?.kind !== 'status') return undefined;
	const status = fault.status ?? 500;
	const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {};
	return fault.body !== undefined ? rawReply(status, fault.body, headers) : errorReply(status, undefined, fault.code, headers);
}

/** How the body of the route's own answer goes out. */
export type BodyMode = 'full' | 'half-then-reset' | 'half-then-end';

export function bodyModeFor(fault: FaultSpec | undefined): BodyMode {
	if (fault?.kind === 'reset-mid-body') return 'half-then-reset';
	if (fault?.kind === 'short-body') return 'half-then-end';
	return 'full';
}
