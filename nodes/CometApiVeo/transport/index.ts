import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIAL_TYPE, DEFAULT_BASE_URL } from './constants';
import { MAX_EXCERPT_BYTES, MAX_JSON_BYTES, readCapped } from './body';
import { policyRefusalOf } from './egress-policy';
import { isObject } from '../helpers/json';
import type { ApiFailure, FailedCall } from './errors';
import { apiFailureError, MAY_BE_ACCEPTED, networkErrorCode } from './errors';
import type { RetryPolicy } from './retry';
import { withRetries } from './retry';
import type { Scope } from './runtime';
import { throwIfAborted } from './runtime';
import { isHttpUrl } from './urls';

export { CREDENTIAL_TYPE, DEFAULT_BASE_URL, MAY_BE_ACCEPTED };

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

/** A JSON request to CometAPI for one job, retried as its policy allows. */
export async function apiRequest(
	this: IExecuteFunctions,
	scope: Scope,
	request: ApiRequest,
): Promise<IDataObject> {
	const url = `${await getApiRoot.call(this, scope.itemIndex)}${request.path}`;
	const call: FailedCall = {
		method: request.method,
		target: request.path,
		itemIndex: scope.itemIndex,
		create: request.retry === 'create',
	};
	const { clock, limits } = scope.runtime;
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
	throw apiFailureError(this, outcome.failure, call, url);
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
				status: statusCode,
				unusable: true,
				parsed: truncated ? `${text.slice(0, 200)} (more than 1 MB)` : text,
			},
		};
	}
	return {
		failure: {
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
