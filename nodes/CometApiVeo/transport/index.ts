import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIAL_TYPE, DEFAULT_BASE_URL } from './constants';
import { excerpt, MAX_EXCERPT_BYTES, MAX_JSON_BYTES, readCapped } from './body';
import type { PolicyRefusal } from './egress-policy';
import { policyRefusalOf } from './egress-policy';
import { inDoubt } from '../failures';
import { isObject } from '../helpers/json';
import { apiError, httpError, networkError, networkErrorCode } from './errors';
import type { AttemptFailure, RetryPolicy } from './retry';
import { isRefusal, wasNotSent, withRetries } from './retry';
import type { Scope } from './runtime';
import { throwIfAborted } from './runtime';
import { hostOf, isHttpUrl } from './urls';

export { CREDENTIAL_TYPE, DEFAULT_BASE_URL };

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Path below the API root, e.g. `/v1/videos`. */
	path: string;
	/** Built anew for every attempt: a multipart body's streams are used up by sending it. */
	body?: () => Promise<IHttpRequestOptions['body']>;
	retry: RetryPolicy;
	/** Clock time past which no retry wait runs (a poll's Max Wait). */
	deadline?: number;
}

export interface FullResponse {
	body: unknown;
	headers: Record<string, unknown>;
	statusCode: number;
}

// What a create that failed in an unclear way must tell the user: it may be a billed job.
export const MAY_BE_ACCEPTED =
	'CometAPI may have accepted this job before the failure; it was not sent again, so that it is not billed twice. Check your CometAPI task list before running the item again, and do not turn on Retry On Fail for Create: it would create the jobs again.';

const apiRoots = new WeakMap<IExecuteFunctions, Promise<string>>();

/**
 * The credential's Base URL without trailing slashes or a trailing `/v1`, so both forms work.
 * Read once per node run: httpRequestWithAuthentication decrypts the credential for each
 * request anyway, and a second read per request would double the largest per-item cost of a
 * create without waiting. A Base URL that is not an http(s) URL fails here, before any request.
 */
export async function getApiRoot(this: IExecuteFunctions, itemIndex: number): Promise<string> {
	let root = apiRoots.get(this);
	if (!root) {
		root = readApiRoot(this);
		apiRoots.set(this, root);
	}
	try {
		return await root;
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message, {
			itemIndex,
			description: `Use ${DEFAULT_BASE_URL} unless you go through a proxy.`,
		});
	}
}

/** The API root from the credential, for any context that can read it (the editor's too). */
export async function readApiRoot(ctx: Pick<IExecuteFunctions, 'getCredentials'>): Promise<string> {
	const credentials = await ctx.getCredentials<{ baseUrl?: string }>(CREDENTIAL_TYPE);
	const raw =
		(typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim() : '') || DEFAULT_BASE_URL;
	const root = raw.replace(/\/+$/, '').replace(/\/v1$/, '');
	if (!isHttpUrl(root)) {
		throw new Error(
			`The "Base URL" of the CometAPI Veo credential is not an http(s) URL: ${JSON.stringify(raw.slice(0, 100))}`,
		);
	}
	return root;
}

/**
 * One authenticated request to the API host, no retry, body left unread as a stream. Status
 * codes are read by the caller rather than by n8n's helper, so errors carry CometAPI's message
 * and never the request; redirects are not followed, so the key never leaves the API host.
 *
 * n8n's helper aborts on the context's cancel signal only, so it is lent a context whose
 * cancel signal is the one given: a job stopped because another item failed stops its open
 * request too, not just its waits.
 */
export async function sendAuthenticated(
	this: IExecuteFunctions,
	signal: AbortSignal,
	options: IHttpRequestOptions,
): Promise<FullResponse> {
	const scoped = Object.create(this, {
		getExecutionCancelSignal: { value: () => signal },
	}) as IExecuteFunctions;
	return (await this.helpers.httpRequestWithAuthentication.call(scoped, CREDENTIAL_TYPE, {
		...options,
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
	})) as FullResponse;
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

/** A failed API attempt: no response at all (a network code), or CometAPI's answer. */
interface ApiFailure extends AttemptFailure {
	statusCode?: number;
	headers?: Record<string, unknown>;
	/** The answer, parsed as JSON where it was JSON, read only up to a cap. */
	parsed?: unknown;
	/** n8n's SSRF policy refused the request: no answer, and none would come on a retry. */
	refusal?: PolicyRefusal;
}

/** A JSON request to CometAPI for one job, retried as its policy allows. */
export async function apiRequest(
	this: IExecuteFunctions,
	scope: Scope,
	request: ApiRequest,
): Promise<IDataObject> {
	const url = `${await getApiRoot.call(this, scope.itemIndex)}${request.path}`;
	const call = {
		method: request.method,
		target: request.path,
		itemIndex: scope.itemIndex,
		note: request.retry === 'create' ? MAY_BE_ACCEPTED : undefined,
	};
	const { clock, limits } = scope.runtime;
	// A create's error says so when CometAPI may have taken it (its description says why).
	const maybeInDoubt = <E extends Error>(error: E, unsettled: boolean): E =>
		request.retry === 'create' && unsettled ? inDoubt(error) : error;

	const outcome = await withRetries<IDataObject, ApiFailure>(
		scope,
		request.retry,
		async () => {
			// Built outside the try: a frame missing from the binary store is not a network failure.
			const body = request.body ? await request.body() : undefined;
			const left = request.deadline === undefined ? Infinity : request.deadline - clock.now();
			// A poll waits no longer than its Max Wait allows (with a floor for a slow answer). The
			// limit covers the whole answer: axios's own timeout ends once the headers are in, and a
			// body sent a byte at a time would otherwise hold the request open for ever.
			const timeoutMs = Math.max(1_000, Math.min(limits.requestTimeoutMs, left));
			const timedOut = AbortSignal.timeout(timeoutMs);
			// A create on the wire is let finish when another item fails: CometAPI may accept it.
			const stop = request.retry === 'create' ? scope.cancelSignal : scope.signal;
			try {
				const response = await sendAuthenticated.call(this, AbortSignal.any([stop, timedOut]), {
					method: request.method,
					url,
					body,
					headers: { accept: 'application/json' },
					timeout: timeoutMs,
				});
				return await readAnswer(response);
			} catch (error) {
				throwIfAborted(stop);
				const refusal = policyRefusalOf(error, url);
				if (refusal) return { failure: { refusal, final: true } };
				return {
					failure: { networkCode: timedOut.aborted ? 'ETIMEDOUT' : networkErrorCode(error) },
				};
			}
		},
		request.deadline,
	);
	if ('value' in outcome) return outcome.value;

	const { failure } = outcome;
	if (failure.refusal) {
		// Refused before connecting: nothing was sent, so a create cannot have been accepted.
		throw apiError(this, {
			message: `Could not reach CometAPI at ${hostOf(url) ?? url}: ${failure.refusal.message}`,
			description: `${request.method} ${request.path} was not sent, so nothing was billed. Check the Base URL of the CometAPI Veo credential, or have the CometAPI host allowed.`,
			itemIndex: scope.itemIndex,
		});
	}
	if (failure.statusCode === undefined) {
		// No answer at all. A create refused before sending (ECONNREFUSED...) was not accepted.
		const code = failure.networkCode ?? 'ECONNECTION';
		const notSent = request.retry === 'create' && wasNotSent(code);
		throw maybeInDoubt(
			networkError(this, code, url, notSent ? { ...call, note: undefined } : call),
			!notSent,
		);
	}
	if (failure.unusable) {
		throw maybeInDoubt(
			apiError(this, {
				message: `CometAPI answered ${request.method} ${request.path} with something that is not JSON: ${excerpt(String(failure.parsed))}`,
				description: [call.note, 'Check the Base URL of the CometAPI Veo credential.']
					.filter(Boolean)
					.join(' '),
				httpCode: String(failure.statusCode),
				itemIndex: scope.itemIndex,
			}),
			true,
		);
	}
	// A refusal (4xx, 500 invalid_request) means CometAPI took nothing: no bill to warn about.
	const refused = isRefusal(failure);
	throw maybeInDoubt(
		httpError(
			this,
			failure.statusCode,
			failure.parsed,
			failure.headers ?? {},
			refused ? { ...call, note: undefined } : call,
		),
		!refused,
	);
}

/** Reads an answer to a cap and sorts it: a JSON object, or a failure to decide on. */
async function readAnswer(
	response: FullResponse,
): Promise<{ value: IDataObject } | { failure: ApiFailure }> {
	const { statusCode, headers } = response;
	const ok = statusCode >= 200 && statusCode < 300;
	const { text, truncated } = await readCapped(
		response.body,
		ok ? MAX_JSON_BYTES : MAX_EXCERPT_BYTES,
	);
	const parsed = truncated ? text : parseJson(text);
	if (ok) {
		if (isObject(parsed)) return { value: parsed };
		return {
			failure: {
				statusCode,
				status: statusCode,
				unusable: true,
				parsed: truncated ? `${text.slice(0, 200)} (more than 1 MB)` : text,
			},
		};
	}
	return {
		failure: {
			statusCode,
			status: statusCode,
			apiCode: apiCodeOf(parsed),
			retryAfter: headers['retry-after'],
			headers,
			parsed,
		},
	};
}

function apiCodeOf(body: unknown): string | undefined {
	const error = isObject(body) ? body.error : undefined;
	return isObject(error) && typeof error.code === 'string' ? error.code : undefined;
}
