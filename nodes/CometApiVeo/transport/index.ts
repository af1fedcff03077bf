import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../helpers/constants';

type RequestContext = IExecuteFunctions | ILoadOptionsFunctions;

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Path below the API root, e.g. `/v1/videos`. */
	path: string;
	body?: IHttpRequestOptions['body'];
	qs?: IDataObject;
	itemIndex: number;
	timeoutMs?: number;
}

interface FullResponse {
	body: unknown;
	headers: Record<string, string | string[] | undefined>;
	statusCode: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;

/** The credential's Base URL without trailing slashes or a trailing `/v1`, so both forms work. */
export async function getApiRoot(this: RequestContext): Promise<string> {
	const credentials = await this.getCredentials<{ baseUrl?: string }>(CREDENTIAL_TYPE);
	const raw = (credentials.baseUrl ?? '').trim() || 'https://api.cometapi.com';
	return raw.replace(/\/+$/, '').replace(/\/v1$/, '');
}

/**
 * The one place that talks to CometAPI. Status codes are read here rather than by n8n's
 * request helper so that errors carry CometAPI's own message, never the request (and its
 * Authorization header); redirects are not followed, so the key never leaves the API host.
 */
export async function apiRequest(this: RequestContext, request: ApiRequest): Promise<IDataObject> {
	const root = await getApiRoot.call(this);
	const url = `${root}${request.path}`;
	const options: IHttpRequestOptions = {
		method: request.method,
		url,
		qs: request.qs,
		body: request.body,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		timeout: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
	};
	if (request.body === undefined) options.json = true;

	let response: FullResponse;
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(
			this,
			CREDENTIAL_TYPE,
			options,
		)) as FullResponse;
	} catch (error) {
		throw connectionError(this, networkErrorCode(error), url, request.itemIndex);
	}

	const body = parseBody(response.body);
	if (response.statusCode >= 200 && response.statusCode < 300) {
		if (!isObject(body)) {
			throw new NodeApiError(
				this.getNode(),
				{ message: 'Unexpected answer' },
				{
					message: `CometAPI answered ${request.method} ${request.path} with something that is not JSON`,
					description: 'Check the Base URL of the CometAPI Veo credential.',
					httpCode: String(response.statusCode),
					itemIndex: request.itemIndex,
				},
			);
		}
		return body;
	}
	throw apiError(this, response.statusCode, body, response.headers, request);
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

/** CometAPI's envelope is `{error:{message,type,code}}`; older routes answer `{message}` or text. */
export function errorMessageOf(body: unknown): string | undefined {
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

const HINTS: Record<number, string> = {
	400: 'CometAPI rejected the request as invalid: check the prompt, model, size, seconds and frames.',
	401: 'Check the API key in the CometAPI Veo credential: CometAPI did not accept it.',
	403: 'This key is not allowed to use this model or route. Check the key and the model alias.',
	404: 'CometAPI does not know this task id or route. Check the task id and the Base URL.',
	429: 'CometAPI is rate limiting or saturated. Wait a little, or lower how many jobs run at once.',
};

function apiError(
	ctx: RequestContext,
	statusCode: number,
	body: unknown,
	headers: FullResponse['headers'],
	request: ApiRequest,
): NodeApiError {
	if (statusCode >= 300 && statusCode < 400) {
		return new NodeApiError(
			ctx.getNode(),
			{ message: `Redirect ${statusCode}` },
			{
				message: `CometAPI answered ${request.method} ${request.path} with a redirect (HTTP ${statusCode}) instead of JSON`,
				description:
					'The Base URL of the CometAPI Veo credential probably points to the wrong place; it should be like https://api.cometapi.com',
				httpCode: String(statusCode),
				itemIndex: request.itemIndex,
			},
		);
	}
	const apiMessage = errorMessageOf(body) ?? `HTTP ${statusCode}`;
	const errorObject = isObject(body) && isObject(body.error) ? body.error : {};
	const code = typeof errorObject.code === 'string' ? errorObject.code : '';
	const retryAfter = headers['retry-after'];
	let description = HINTS[statusCode] ?? (statusCode >= 500 ? 'CometAPI had a problem on its side.' : '');
	if (statusCode === 429 && retryAfter) description += ` CometAPI asked to retry after ${String(retryAfter)} s.`;
	return new NodeApiError(
		ctx.getNode(),
		{ message: apiMessage, code, status: statusCode } as JsonObject,
		{
			message: `CometAPI error ${statusCode}: ${apiMessage}`,
			description,
			httpCode: String(statusCode),
			itemIndex: request.itemIndex,
		},
	);
}

/** n8n wraps socket errors (code in `httpCode`), axios does not (code in `code` or `cause`). */
export function networkErrorCode(error: unknown): string {
	const candidate = error as { code?: unknown; httpCode?: unknown; cause?: { code?: unknown } };
	for (const code of [candidate?.code, candidate?.httpCode, candidate?.cause?.code]) {
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
	}
	return 'ECONNECTION';
}

/** A failure before any HTTP answer. Built from scratch: the original error holds the request. */
function connectionError(
	ctx: RequestContext,
	code: string,
	url: string,
	itemIndex: number,
): NodeApiError {
	const host = safeHost(url);
	// NodeApiError swaps any message that names a socket error code for a generic one, so the
	// code goes into the description and the message says it in words.
	const message = `Could not reach CometAPI at ${host}: ${NETWORK_ERRORS[code] ?? 'network error'}`;
	return new NodeApiError(
		ctx.getNode(),
		{ message },
		{
			message,
			description: `Network error ${code}. Check the Base URL of the CometAPI Veo credential and the network.`,
			itemIndex,
		},
	);
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

function safeHost(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return 'the configured Base URL';
	}
}
