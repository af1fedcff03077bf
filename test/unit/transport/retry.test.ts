import {
	parseRetryAfter,
	retryDelayMs,
	shouldRetry,
} from '../../../nodes/CometApiVeo/transport/retry';

describe('retry policy', () => {
	it.each([429, 500, 502, 503, 504, 524])('a read retries HTTP %i', (status) => {
		expect(shouldRetry('read', { status })).toBe(true);
	});

	it.each([400, 401, 403, 404])('a read does not retry HTTP %i', (status) => {
		expect(shouldRetry('read', { status })).toBe(false);
	});

	it('a read retries any connection error', () => {
		expect(shouldRetry('read', { networkCode: 'ECONNRESET' })).toBe(true);
		expect(shouldRetry('read', { networkCode: 'ETIMEDOUT' })).toBe(true);
	});

	it('a 500 invalid_request is a malformed request: never retried', () => {
		expect(shouldRetry('read', { status: 500, apiCode: 'invalid_request' })).toBe(false);
		expect(shouldRetry('read', { status: 500, apiCode: 'server_error' })).toBe(true);
	});

	it('a create retries only what CometAPI certainly did not take', () => {
		expect(shouldRetry('create', { status: 429 })).toBe(true);
		expect(shouldRetry('create', { networkCode: 'ECONNREFUSED' })).toBe(true);
		expect(shouldRetry('create', { networkCode: 'ENOTFOUND' })).toBe(true);
		for (const status of [500, 502, 503, 504, 524])
			expect(shouldRetry('create', { status })).toBe(false);
		for (const networkCode of ['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE'])
			expect(shouldRetry('create', { networkCode })).toBe(false);
	});

	it('reads Retry-After in seconds or as a date', () => {
		const now = Date.parse('2026-11-25T20:00:00Z');
		expect(parseRetryAfter('3', now)).toBe(3000);
		expect(parseRetryAfter('Wed, 25 Nov 2026 20:00:05 GMT', now)).toBe(5000);
		expect(parseRetryAfter('soon', now)).toBeUndefined();
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
	});

	it('honours Retry-After, else backs off exponentially with jitter', () => {
		expect(retryDelayMs(0, '2', () => 0)).toBe(2000);
		expect(retryDelayMs(0, '2', () => 1)).toBe(3000);
		expect(retryDelayMs(3, '1000', () => 0)).toBe(120_000);
		expect(retryDelayMs(0, undefined, () => 0)).toBe(500);
		expect(retryDelayMs(0, undefined, () => 1)).toBe(1000);
		expect(retryDelayMs(2, undefined, () => 0)).toBe(2000);
		expect(retryDelayMs(10, undefined, () => 1)).toBe(30_000);
	});
});
