import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../helpers/constants';
import { httpError, networkError, networkErrorCode } from './errors';
import type { RetryPolicy } from './retry';
import { MAX_ATTEMPTS, retryDelayMs, shouldRetry } from './retry';

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Path below the API root, e.g. `/v1/videos`. */
	path: string;
	/** Built anew for every attempt: a multipart body's streams are used up by sending it. */
	body?: () => Promise<IHttpRequestOptions['body']>;
	qs?: IDataObject;
	itemIndex: number;
	retry: RetryPolicy;
	timeoutMs?: number;
}

export interface FullResponse {
	body: unknown;
	headers: Record<string, unknown>;
	statusCode: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;

// What a create that failed in an unclear way must tell the user: it may be a billed job.
const MAY_BE_ACCEPTED =
	'CometAPI may have accepted this job before the failure; it was not sent again, so that it is not billed twice. Check your CometAPI task list before running the item again.';

/** The credential's Base URL without trailing slashes or a trailing `/v1`, so both forms work. */
export async function getApiRoot(this: IExecuteFunctions): Promise<string> {
	const credentials = await this.getCredentials<{ baseUrl?: string }>(CREDENTIAL_TYPE);
	const raw = (credentials.baseUrl ?? '').trim() || 'https://api.cometapi.com';
	return raw.replace(/\/+$/, '').replace(/\/v1$/, '');
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

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Stops the retry loop at once when the user stops the execution. */
export function throwIfCancelled(ctx: IExecuteFunctions): void {
	const signal = ctx.getExecutionCancelSignal();
	if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('Execution was cancelled');
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

	for (let attempt = 1; ; attempt++) {
		let response: FullResponse | undefined;
		let networkCode: string | undefined;
		try {
			const body = request.body ? await request.body() : undefined;
			response = await sendAuthenticated.call(this, {
				method: request.method,
				url,
				qs: request.qs,
				body,
				json: body === undefined ? true : undefined,
				timeout: request.timeoutMs,
			});
		} catch (error) {
			throwIfCancelled(this);
			networkCode = networkErrorCode(error);
		}

		const status = response?.statusCode;
		if (status !== undefined && status >= 200 && status < 300) return jsonObjectOf(this, response!, request);

		if (attempt < MAX_ATTEMPTS && shouldRetry(request.retry, { status, networkCode })) {
			await sleep(retryDelayMs(attempt - 1, response?.headers['retry-after']), this.getExecutionCancelSignal());
			continue;
		}
		if (networkCode !== undefined) {
			// A create refused before sending (ECONNREFUSED...) was certainly not accepted.
			const notSent = request.retry === 'create' && shouldRetry('create', { networkCode });
			throw networkError(this, networkCode, url, notSent ? { ...call, note: undefined } : call);
		}
		// A 4xx other than 429 means CometAPI refused the create: nothing was billed.
		const refused = status! >= 300 && status! < 500;
		throw httpError(this, status!, parseBody(response!.body), response!.headers, refused ? { ...call, note: undefined } : call);
	}
}

function jsonObjectOf(ctx: IExecuteFunctions, response: FullResponse, request: ApiRequest): IDataObject {
	const body = parseBody(response.body);
	if (isObject(body)) return body;
	throw new NodeApiError(
		ctx.getNode(),
		{ message: 'Unexpected answer' },
		{
			message: `CometAPI answered ${request.method} ${request.path} with something that is not JSON`,
			description: 'Check the Base URL of the CometAPI Veo credential.',
			httpCode: String(response.statusCode),
			itemIndex: request.itemIndex,
		},
	);
}
