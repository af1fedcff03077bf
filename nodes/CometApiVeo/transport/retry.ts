import type { Scope } from './runtime';
import { throwIfAborted } from './runtime';

/**
 * When a request may be sent again. Reads are safe to repeat; a poll also outlasts a task
 * that is not visible yet (404 right after its create). A create is a billed job, so it is
 * repeated only when CometAPI certainly did not take it: a 429, or no connection at all.
 */
export type RetryPolicy = 'read' | 'poll' | 'create';

export const MAX_ATTEMPTS = 4;

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504, 524]);

// Failures that happen before a single byte of the request could leave this machine.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

const BASE_DELAY_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
const MAX_RETRY_AFTER_MS = 120_000;

/** A failed attempt, with what the retry decision needs. */
export interface AttemptFailure {
	status?: number;
	networkCode?: string;
	/** CometAPI's `error.code`: a 500 `invalid_request` is a malformed request, not an outage. */
	apiCode?: string;
	/** A success status with a body that cannot be used (not JSON, too large, empty). */
	unusable?: boolean;
	retryAfter?: unknown;
	/** Asking again cannot help (say, the answer is not a video at all). */
	final?: boolean;
}

/** A 500 with code `invalid_request` means the request itself was wrong: like a 400. */
export function isRefusal(failure: AttemptFailure): boolean {
	const status = failure.status ?? 0;
	return (
		(status >= 300 && status < 500) || (status === 500 && failure.apiCode === 'invalid_request')
	);
}

/** The request failed before it could leave this machine, so CometAPI took nothing. */
export function wasNotSent(networkCode: string | undefined): boolean {
	return networkCode !== undefined && NOT_SENT_CODES.has(networkCode);
}

export function shouldRetry(policy: RetryPolicy, failure: AttemptFailure): boolean {
	if (failure.status === 500 && failure.apiCode === 'invalid_request') return false;
	if (policy === 'create') return failure.status === 429 || wasNotSent(failure.networkCode);
	if (failure.networkCode !== undefined || failure.unusable) return true;
	if (policy === 'poll' && failure.status === 404) return true;
	return failure.status !== undefined && RETRYABLE_STATUS.has(failure.status);
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (typeof text !== 'string' || !text.trim()) return undefined;
	const seconds = Number(text);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with equal jitter, unless the server said when to come back. */
export function retryDelayMs(attempt: number, retryAfter?: unknown, random = Math.random): number {
	const asked = parseRetryAfter(retryAfter);
	// Up to a second of jitter on top, so concurrent jobs told the same time do not return in step.
	if (asked !== undefined) return Math.min(asked, MAX_RETRY_AFTER_MS) + Math.round(random() * 1000);
	const ceiling = Math.min(MAX_BACKOFF_MS, BASE_DELAY_MS * 2 ** attempt);
	return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export type AttemptResult<T, F extends AttemptFailure> = { value: T } | { failure: F };

/** The wait before the next attempt would end past the caller's deadline (Max Wait). */
export class DeadlineReached extends Error {
	constructor(readonly lastFailure: AttemptFailure) {
		super('Max Wait was reached while retrying');
	}
}

/**
 * Runs `attempt` until it succeeds, its failure may not be repeated under `policy`, or
 * MAX_ATTEMPTS are spent. Nothing starts once the job's signal has aborted, and every wait
 * between attempts ends at once when it does. A wait that would pass `deadline` is cut to
 * it, and then DeadlineReached is thrown instead of another attempt.
 */
export async function withRetries<T, F extends AttemptFailure>(
	scope: Scope,
	policy: RetryPolicy,
	attempt: () => Promise<AttemptResult<T, F>>,
	deadline?: number,
): Promise<AttemptResult<T, F>> {
	const { clock } = scope.runtime;
	for (let attemptNumber = 1; ; attemptNumber++) {
		throwIfAborted(scope.signal);
		const result = await attempt();
		if ('value' in result) return result;
		const { failure } = result;
		if (attemptNumber >= MAX_ATTEMPTS || failure.final || !shouldRetry(policy, failure))
			return result;
		const delay = retryDelayMs(attemptNumber - 1, failure.retryAfter);
		const left = deadline === undefined ? Infinity : deadline - clock.now();
		if (delay >= left) {
			if (left > 0) await clock.sleep(left, scope.signal);
			throw new DeadlineReached(failure);
		}
		await clock.sleep(delay, scope.signal);
	}
}
