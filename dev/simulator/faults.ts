import { errorReply, taskNotFoundReply, wrongPathReply } from './errors';
import { rawReply, textReply, type Reply } from './http';
import type { DrawnFault, FaultPicker, FaultSpec, RecordedRequest } from './types';
import { videoHostPath, type Origins } from './video';

// Injected faults: what a test asks the hosts to do wrong, and how each fault shapes an answer.
// The request pipeline (exchange.ts) asks the queue for the fault of each request.

interface QueuedFault {
	spec: FaultSpec;
	remaining: number;
}

/**
 * Injected faults, matched in the order queued; each is used up after `times` matching requests.
 * A picker, when set, draws a fault for the requests no queued fault matches.
 */
export class FaultQueue {
	private queue: QueuedFault[] = [];
	private picker: FaultPicker | undefined;

	setPicker(picker: FaultPicker | undefined): void {
		this.picker = picker;
	}

	/** The picker's fault for a request no queued fault shaped; called once its body is read. */
	draw(record: RecordedRequest): DrawnFault | undefined {
		const drawn = this.picker?.(record);
		if (drawn) checkFault(drawn);
		return drawn;
	}

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
		this.picker = undefined;
	}
}

function matches({ match }: FaultSpec, record: RecordedRequest): boolean {
	if (match.server !== undefined && match.server !== record.server) return false;
	if (match.method !== undefined && match.method.toUpperCase() !== record.method.toUpperCase())
		return false;
	if (match.path !== undefined) {
		match.path.lastIndex = 0; // a /g or /y regex keeps state between tests
		if (!match.path.test(record.path)) return false;
	}
	return true;
}

function checkFault(spec: DrawnFault & { times?: number }): void {
	if (spec.kind === 'status' && spec.status === undefined)
		throw new Error("fault kind 'status' needs a status");
	if (spec.kind === 'delay' && spec.delayMs === undefined)
		throw new Error("fault kind 'delay' needs delayMs");
	if (spec.times !== undefined && !(spec.times >= 1))
		throw new Error('fault times must be at least 1');
}

const PROXY_PAGE =
	'<!doctype html><html><head><title>Please wait</title></head><body>Checking your browser…</body></html>';

/** Faults that answer without touching any state. */
export function faultReply(
	fault: DrawnFault | undefined,
	record: RecordedRequest,
	origins: Origins,
): Reply | undefined {
	if (fault?.kind === 'html-301') return wrongPathReply(fault.body);
	if (fault?.kind === 'not-json')
		return textReply(200, fault.body ?? PROXY_PAGE, 'text/html; charset=utf-8');
	if (fault?.kind === 'not-found')
		return taskNotFoundReply(record.taskId ?? record.path.split('/').pop() ?? '');
	if (fault?.kind === 'redirect') {
		const path = record.taskId !== undefined ? videoHostPath(record.taskId) : record.path;
		return textReply(302, '', 'text/plain; charset=utf-8', {
			location: `${origins.videoHostUrl}${path}`,
		});
	}
	if (fault?.kind !== 'status') return undefined;
	const status = fault.status ?? 500;
	const headers: Record<string, string> =
		fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {};
	return fault.body !== undefined
		? rawReply(status, fault.body, headers)
		: errorReply(status, undefined, fault.code, headers);
}

/** How the body of the route's own answer goes out. */
export type BodyMode =
	| { kind: 'full' }
	| { kind: 'half-then-reset' }
	| { kind: 'half-then-end' }
	| { kind: 'empty' }
	| { kind: 'gzip' }
	| { kind: 'slow'; pieces: number; pauseMs: number };

export const FULL_BODY: BodyMode = { kind: 'full' };

export function bodyModeFor(fault: DrawnFault | undefined): BodyMode {
	switch (fault?.kind) {
		case 'reset-mid-body':
			return { kind: 'half-then-reset' };
		case 'short-body':
			return { kind: 'half-then-end' };
		case 'empty-body':
			return { kind: 'empty' };
		case 'gzip':
			return { kind: 'gzip' };
		case 'slow-body':
			return { kind: 'slow', pieces: Math.max(1, fault.pieces ?? 4), pauseMs: fault.delayMs ?? 20 };
		default:
			return FULL_BODY;
	}
}
