import type { FaultSpec, RecordedRequest } from './types';

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
