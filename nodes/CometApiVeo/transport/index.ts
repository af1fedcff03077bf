import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../helpers/constants';
import { apiError, httpError, isObject, networkError, networkErrorCode } from './errors';
import type { AttemptFailure, RetryPolicy } from './retry';
import { isRefusal, wasNotSent, withRetries } from './retry';

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Path below the API root, e.g. `/v1/videos`. */
	path: string;
	/** Built anew for every attempt: a multipart body's streams are used up by sending it. */
	body?: () => Promise<IHttpRequestOptions['body']>;
	itemIndex: number;
	retry: RetryPolicy;
}

export interface FullResponse {
	body: unknown;
	headers: Record<string, unknown>;
	statusCode: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;

// What a create that failed in an unclear way must tell the user: it may be a billed job.
export const MAY_BE_ACCEPTED =
	'CometAPI may have accepted this job before the failure; it was not sent again, so that it is not billed twice. Check your CometAPI task list before running the item again, and do not turn on Retry On Fail for Create: it would create the jobs again.';

/**
 * The credential's Base URL without trailing slashes or a trailing `/v1`, so both forms work.
 * A Base URL that is not an http(s) URL fails here, before any request.
 */
export async function getApiRoot(this: IExecuteFunctions): Promise<string> {
	// Read once per node run: httpRequestWithAuthentication decrypts the credential for each
	// request anyway, so a second read per request would double the largest per-item cost of
	// a create without waiting.
	let root = apiRoots.get(this);
	if (!root) {
		root = readApiRoot.call(this);
		apiRoots.set(this, root);
	}
	return await root;
}

const apiRoots = new WeakMap<IExecuteFunctions, Promise<string>>();

async function readApiRoot(this: IExecuteFunctions): Promise<string> {
	const credentials = await this.getCredentials<{ baseUrl?: string }>(CREDENTIAL_TYPE);
	const raw = (credentials.baseUrl ?? '').trim() || 'https://api.cometapi.com';
	const root = raw.replace(/\/+$/, '').replace(/\/v1$/, '');
	let protocol = '';
	try {
		protocol = new URL(root).protocol;
	} catch {
		protocol = '';
	}
	if (protocol !== 'https:' && protocol !== 'http:') {
		throw new NodeOperationError(
			this.getNode(),
			`The "Base URL" of the CometAPI Veo credential is not an http(s) URL: ${JSON.stringify(raw.slice(0, 100))}`,
			{ description: 'Use https://api.cometapi.com unless you go through a proxy.' },
		);
	}
	return root;
}

/**
 * One authenticated request to the API host, no retry. Status codes are read here rather than
 * by n8n's helper, so that errors carry CometAPI's message and never the request; redirects
 * are not followed, so the key never leaves the API host.
 */
export async function sendAuthenticated(
	this: IExecuteFunctions,
	options: IHttpRequestOptions,
): Promise<FullResponse> {
	return (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, {
		...options,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		timeout: options.timeout ?? DEFAULT_TIMEOUT_MS,
	})) as FullResponse;
}

function parseBody(body: unknown): unknown {
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return body;
	}
}

/** Stops the retry loop at once when the user stops the execution. */
export function throwIfCancelled(ctx: IExecuteFunctions): void {
	const signal = ctx.getExecutionCancelSignal();
	if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('Execution was cancelled');
}

/** A failed API attempt: no response at all (a network code), or CometAPI's answer. */
interface ApiFailure extends AttemptFailure {
	response?: FullResponse;
	parsed?: unknown;
}

/** A JSON request to CometAPI, retried as its policy allows. */
export async function apiRequest(this: IExecuteFunctions, request: ApiRequest): Promise<IDataObject> {
	const url = `${await getApiRoot.call(this)}${request.path}`;
	const call = {
		method: request.method,
		target: request.path,
		itemIndex: request.itemIndex,
		note: request.retry === 'create' ? MAY_BE_ACCEPTED : undefined,
	};

	const outcome = await withRetries<FullResponse, ApiFailure>(this, request.retry, async () => {
		// Built outside the try: a frame missing from the binary store is not a network failure.
		const body = request.body ? await request.body() : undefined;
		let response: FullResponse;
		try {
			response = await sendAuthenticated.call(this, {
				method: request.method,
				url,
				body,
				json: body === undefined ? true : undefined,
			});
		} catch (error) {
			throwIfCancelled(this);
			return { failure: { networkCode: networkErrorCode(error) } };
		}
		const status = response.statusCode;
		if (status >= 200 && status < 300) return { value: response };
		const parsed = parseBody(response.body);
		return { failure: { status, apiCode: apiCodeOf(parsed), retryAfter: response.headers['retry-after'], response, parsed } };
	});
	if ('value' in outcome) return jsonObjectOf(this, outcome.value, request, call.note);

	const { failure } = outcome;
	if (failure.response === undefined) {
		// A create refused before sending (ECONNREFUSED...) was certainly not accepted.
		const notSent = request.retry === 'create' && wasNotSent(failure.networkCode);
		throw networkError(this, failure.networkCode!, url, notSent ? { ...call, note: undefined } : call);
	}
	// A refusal (4xx, 500 invalid_request) means CometAPI took nothing: no bill to warn about.
	throw httpError(this, failure.status!, failure.parsed, failure.response.headers, isRefusal(failure) ? { ...call, note: undefined } : call);
}

function apiCodeOf(body: unknown): string | undefined {
	const error = isObject(body) ? body.error : undefined;
	return isObject(error) && typeof error.code === 'string' ? error.code : undefined;
}

function jsonObjectOf(
	ctx: IExecuteFunctions,
	response: FullResponse,
	request: ApiRequest,
	note: string | undefined,
): IDataObject {
	const body = parseBody(response.body);
	if (isObject(body)) return body;
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	throw apiError(ctx, {
		message: `CometAPI answered ${request.method} ${request.path} with something that is not JSON: ${text.slice(0, 200)}`,
		description: [note, 'Check the Base URL of the CometAPI Veo credential.'].filter(Boolean).join(' '),
		httpCode: String(response.statusCode),
		itemIndex: request.itemIndex,
	});
}
