import type { IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

/**
 * When a request may be sent again. Reads are safe to repeat. A create is a billed job, so it
 * is repeated only when CometAPI certainly did not take it: a 429, or no connection at all.
 */
export type RetryPolicy = 'read' | 'create';

export const MAX_ATTEMPTS = 4;

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504, 524]);

// Failures that happen before a single byte of the request could leave this machine.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

const BASE_DELAY_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
const MAX_RETRY_AFTER_MS = 120_000;

export interface Failure {
	status?: number;
	networkCode?: string;
	/** CometAPI's `error.code`: a 500 `invalid_request` is a malformed request, not an outage. */
	apiCode?: string;
}

/** A 500 with code `invalid_request` means the request itself was wrong: like a 400. */
export function isRefusal(failure: Failure): boolean {
	const status = failure.status ?? 0;
	return (status >= 300 && status < 500) || (status === 500 && failure.apiCode === 'invalid_request');
}

/** The request failed before it could leave this machine, so CometAPI took nothing. */
export function wasNotSent(networkCode: string | undefined): boolean {
	return networkCode !== undefined && NOT_SENT_CODES.has(networkCode);
}

export function shouldRetry(policy: RetryPolicy, failure: Failure): boolean {
	if (failure.status === 500 && failure.apiCode === 'invalid_request') return false;
	if (policy === 'create') return failure.status === 429 || wasNotSent(failure.networkCode);
	return failure.networkCode !== undefined || (failure.status !== undefined && RETRYABLE_STATUS.has(failure.status));
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

/** A failed attempt, with what the retry decision needs. */
export interface AttemptFailure extends Failure {
	retryAfter?: unknown;
	/** Asking again cannot help (say, the answer is not a video at all). */
	final?: boolean;
}

export type AttemptResult<T, F extends AttemptFailure> = { value: T } | { failure: F };

/**
 * Runs `attempt` until it succeeds, its failure may not be repeated under `policy`, or
 * MAX_ATTEMPTS are spent; waits between attempts on the execution's cancel signal. Returns
 * the success or the last failure for the caller to report.
 */
export async function withRetries<T, F extends AttemptFailure>(
	ctx: IExecuteFunctions,
	policy: RetryPolicy,
	attempt: () => Promise<AttemptResult<T, F>>,
): Promise<AttemptResult<T, F>> {
	for (let attemptNumber = 1; ; attemptNumber++) {
		const result = await attempt();
		if ('value' in result) return result;
		const { failure } = result;
		if (attemptNumber >= MAX_ATTEMPTS || failure.final || !shouldRetry(policy, failure)) return result;
		await sleep(retryDelayMs(attemptNumber - 1, failure.retryAfter), ctx.getExecutionCancelSignal());
	}
}
