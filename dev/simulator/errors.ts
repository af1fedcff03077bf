import { randomInt } from 'node:crypto';
import { jsonReply, textReply, type Reply } from './http';

// CometAPI's errors. CometAPI wraps every error the same way and appends a request id to the
// message: {"error":{"message":"... (request id: ...)","type":"comet_api_error","param":"","code":"..."}}.
export interface ErrorEnvelope {
	error: { message: string; type: 'comet_api_error'; param: string; code: string };
}

const DEFAULT_CODES: Record<number, string> = {
	400: 'invalid_request',
	401: 'invalid_api_key',
	403: 'forbidden',
	404: 'not_found',
	405: 'method_not_allowed',
	429: 'rate_limit_exceeded',
	500: 'internal_error',
	502: 'bad_gateway',
	503: 'service_unavailable',
	504: 'gateway_timeout',
	524: 'timeout',
};

const DEFAULT_MESSAGES: Record<number, string> = {
	403: 'You are not allowed to use this model',
	429: 'Rate limit reached, the upstream is saturated, please retry later',
	500: 'Internal server error',
	502: 'Bad gateway',
	503: 'Service temporarily unavailable',
	504: 'Gateway timeout',
	524: 'A timeout occurred',
};

const ALPHANUMERICS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Request ids and task ids are made of these. */
export function randomAlphanumerics(length: number): string {
	let text = '';
	for (let i = 0; i < length; i++) text += ALPHANUMERICS[randomInt(ALPHANUMERICS.length)];
	return text;
}

export function envelopeBody(message: string, code: string): ErrorEnvelope {
	return {
		error: {
			message: `${message} (request id: ${randomAlphanumerics(20)})`,
			type: 'comet_api_error',
			param: '',
			code,
		},
	};
}

export function errorReply(
	status: number,
	message?: string,
	code?: string,
	headers: Record<string, string> = {},
): Reply {
	const text = message ?? DEFAULT_MESSAGES[status] ?? `Request failed with status ${status}`;
	return jsonReply(status, envelopeBody(text, code ?? DEFAULT_CODES[status] ?? ''), headers);
}

export function invalidTokenReply(): Reply {
	return errorReply(401, 'Invalid token', 'invalid_api_key');
}

export function taskNotFoundReply(taskId: string): Reply {
	return errorReply(404, `Task ${taskId} not found`, 'task_not_found');
}

// "A wrong path may answer a 301 or an HTML page instead of JSON." The Location leads to '/',
// which serves the site's HTML home page with 200.
export const WRONG_PATH_LOCATION = '/';

const HTML = 'text/html; charset=utf-8';

export function wrongPathReply(body?: string): Reply {
	const html =
		body ??
		'<html><head><title>301 Moved Permanently</title></head>' +
			'<body><center><h1>301 Moved Permanently</h1></center><hr><center>nginx</center></body></html>';
	return textReply(301, html, HTML, { location: WRONG_PATH_LOCATION });
}

export function homePageReply(): Reply {
	return textReply(
		200,
		'<!doctype html><html><head><title>CometAPI</title></head><body>CometAPI</body></html>',
		HTML,
	);
}
