import type { IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { failedAs, inDoubt } from '../failures';
import { isObject } from '../helpers/json';
import { excerpt } from './body';
import { DEFAULT_BASE_URL } from './constants';
import type { PolicyRefusal } from './egress-policy';
import type { AttemptFailure } from './retry';
import { isRefusal, wasNotSent } from './retry';
import { hostOf } from './urls';

// What a create that failed in an unclear way must tell the user: it may be a billed job.
export const MAY_BE_ACCEPTED =
	'CometAPI may have accepted this job before the failure; it was not sent again, so that it is not billed twice. Check your CometAPI task list before running the item again, and do not turn on Retry On Fail for Create: it would create the jobs again.';

/** n8n's errors carry a description beside the message; so do the ones this node builds. */
export type DescribedError = Error & { description?: string | null };

/** CometAPI's envelope is `{error:{message,type,code}}`; older routes answer `{message}` or text. */
function errorMessageOf(body: unknown): string | undefined {
	if (typeof body === 'string') {
		const text = body.trim();
		return text && !text.startsWith('<') ? text.slice(0, 500) : undefined;
	}
	if (!isObject(body)) return undefined;
	const error = body.error;
	if (typeof error === 'string' && error) return error;
	if (isObject(error) && typeof error.message === 'string' && error.message) return error.message;
	if (typeof body.message === 'string' && body.message) return body.message;
	return undefined;
}

/** n8n wraps socket errors (code in `httpCode`), axios does not (code in `code` or `cause`). */
export function networkErrorCode(error: unknown): string {
	const candidate = error as { code?: unknown; httpCode?: unknown; cause?: { code?: unknown } };
	for (const code of [candidate?.code, candidate?.httpCode, candidate?.cause?.code]) {
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
	}
	return 'ECONNECTION';
}

const HINTS: Record<number, string> = {
	400: 'CometAPI rejected the request as invalid: check the prompt, model, size, seconds and frames.',
	401: 'Check the API key in the CometAPI Veo credential: CometAPI did not accept it.',
	403: 'This key is not allowed to use this model or route. Check the key and the model alias.',
	404: 'CometAPI does not know this task id or route. Check the task id and the Base URL.',
	429: 'CometAPI is rate limiting or saturated. Wait a little, or lower Max Concurrent Jobs.',
};

export interface FailedCall {
	method: string;
	/** What was called, as shown to the user: a path on the API host, or a video URL. */
	target: string;
	itemIndex: number;
	/** A create: a billed job, which an unclear failure leaves in doubt. */
	create?: boolean;
	/** Appended to the description, e.g. that a create may have been accepted. */
	note?: string;
}

export interface ApiErrorParts {
	message: string;
	description?: string;
	httpCode?: string;
	itemIndex: number;
	/** What the API answered, kept on the error for n8n's error details. */
	response?: JsonObject;
}

/**
 * A NodeApiError that keeps the message it is given. NodeApiError replaces any message that
 * mentions a socket error code (ETIMEDOUT, ECONNRESET...) with a generic one, which would drop
 * the task id, the URL or CometAPI's own reason.
 */
export function apiError(ctx: IExecuteFunctions, parts: ApiErrorParts): NodeApiError {
	const error = new NodeApiError(ctx.getNode(), parts.response ?? { message: parts.message }, {
		message: parts.message,
		description: parts.description,
		httpCode: parts.httpCode,
		itemIndex: parts.itemIndex,
	});
	error.message = parts.message;
	if (parts.description !== undefined) error.description = parts.description;
	return error;
}

function describe(base: string, note?: string): string {
	return [base, note].filter(Boolean).join(' ');
}

/** An HTTP answer that is an error. Built from the answer only, never from the request. */
export function httpError(
	ctx: IExecuteFunctions,
	statusCode: number,
	body: unknown,
	headers: Record<string, unknown>,
	call: FailedCall,
): NodeApiError {
	if (statusCode >= 300 && statusCode < 400) {
		return apiError(ctx, {
			message: `CometAPI answered ${call.method} ${call.target} with a redirect (HTTP ${statusCode}) instead of JSON`,
			description: describe(
				`The Base URL of the CometAPI Veo credential probably points to the wrong place; it should be like ${DEFAULT_BASE_URL}`,
				call.note,
			),
			httpCode: String(statusCode),
			itemIndex: call.itemIndex,
		});
	}
	const apiMessage = errorMessageOf(body) ?? `HTTP ${statusCode}`;
	const errorObject = isObject(body) && isObject(body.error) ? body.error : {};
	const code = typeof errorObject.code === 'string' ? errorObject.code : '';
	let hint = HINTS[statusCode] ?? (statusCode >= 500 ? 'CometAPI had a problem on its side.' : '');
	const retryAfter = headers['retry-after'];
	if (statusCode === 429 && retryAfter)
		hint += ` CometAPI asked to retry after ${String(retryAfter)} s.`;
	return apiError(ctx, {
		message: `CometAPI error ${statusCode}: ${apiMessage}`,
		description: describe(hint, call.note),
		httpCode: String(statusCode),
		itemIndex: call.itemIndex,
		response: { message: apiMessage, code, status: statusCode },
	});
}

const NETWORK_ERRORS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	ETIMEDOUT: 'timed out',
	ECONNABORTED: 'timed out',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'host not found',
	EPIPE: 'connection closed',
};

/** A socket error code in words: NodeApiError replaces any message that names the code itself. */
export function describeNetworkCode(code: string): string {
	return NETWORK_ERRORS[code] ?? 'network error';
}

/** A failure before a whole HTTP answer. Built from scratch: n8n's error holds the request. */
export function networkError(
	ctx: IExecuteFunctions,
	code: string,
	url: string,
	call: FailedCall,
): NodeApiError {
	const host = hostOf(url) ?? 'the configured Base URL';
	const message = `Could not reach CometAPI at ${host}: ${describeNetworkCode(code)}`;
	return apiError(ctx, {
		message,
		description: describe(
			`Network error ${code} on ${call.method} ${call.target}. Check the Base URL of the CometAPI Veo credential and the network.`,
			call.note,
		),
		itemIndex: call.itemIndex,
	});
}

/** A failed API attempt: no response at all (a network code), or CometAPI's answer. */
export interface ApiFailure extends AttemptFailure {
	headers?: Record<string, unknown>;
	/** The answer, parsed as JSON where it was JSON, read only up to a cap. */
	parsed?: unknown;
	/** n8n's SSRF policy refused the request: no answer, and none would come on a retry. */
	refusal?: PolicyRefusal;
}

/**
 * The last failed attempt of an API request as the error the user sees, marked with what it
 * is. A create CometAPI may have taken (cut off, or answered unclearly) is in doubt, and its
 * description says why; one certainly not taken (not sent, or refused) carries no such note.
 */
export function apiFailureError(
	ctx: IExecuteFunctions,
	failure: ApiFailure,
	call: FailedCall,
	url: string,
): NodeApiError {
	const { method, target, itemIndex } = call;
	const unsettled = { ...call, note: call.create ? MAY_BE_ACCEPTED : undefined };
	const settled = { ...call, note: undefined };
	const maybeInDoubt = (error: NodeApiError, otherwise: Parameters<typeof failedAs>[1]) =>
		call.create ? inDoubt(error) : failedAs(error, otherwise);
	if (failure.refusal) {
		// Refused before connecting: nothing was sent, so a create cannot have been accepted.
		const error = apiError(ctx, {
			message: `Could not reach CometAPI at ${hostOf(url) ?? url}: ${failure.refusal.message}`,
			description: `${method} ${target} was not sent, so nothing was billed. Check the Base URL of the CometAPI Veo credential, or have the CometAPI host allowed.`,
			itemIndex,
		});
		return failedAs(error, { kind: 'upstream_failed', retryable: false });
	}
	const unreachable = { kind: 'upstream_failed', retryable: true } as const;
	if (failure.status === undefined) {
		// No answer at all. A create refused before sending (ECONNREFUSED...) was not accepted.
		const code = failure.networkCode ?? 'ECONNECTION';
		if (call.create && wasNotSent(code))
			return failedAs(networkError(ctx, code, url, settled), unreachable);
		return maybeInDoubt(networkError(ctx, code, url, unsettled), unreachable);
	}
	if (failure.unusable) {
		const error = apiError(ctx, {
			message: `CometAPI answered ${method} ${target} with something that is not JSON: ${excerpt(String(failure.parsed))}`,
			description: [unsettled.note, 'Check the Base URL of the CometAPI Veo credential.']
				.filter(Boolean)
				.join(' '),
			httpCode: String(failure.status),
			itemIndex,
		});
		return maybeInDoubt(error, unreachable);
	}
	// A refusal (4xx, 500 invalid_request) means CometAPI took nothing: no bill to warn about.
	const refused = isRefusal(failure);
	const error = httpError(
		ctx,
		failure.status,
		failure.parsed,
		failure.headers ?? {},
		refused ? settled : unsettled,
	);
	const answered = { httpStatus: failure.status, answer: failure.parsed };
	return refused ? failedAs(error, answered) : maybeInDoubt(error, answered);
}
