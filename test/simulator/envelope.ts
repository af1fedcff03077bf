import { randomAlphanumerics } from './random-id';
import { jsonReply, type Reply } from './reply';

// CometAPI wraps every error the same way and appends a request id to the message.
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

export function errorReply(status: number, message?: string, code?: string, headers: Record<string, string> = {}): Reply {
	const text = message ?? DEFAULT_MESSAGES[status] ?? `Request failed with status ${status}`;
	return jsonReply(status, envelopeBody(text, code ?? DEFAULT_CODES[status] ?? ''), headers);
}

export function invalidTokenReply(): Reply {
	return errorReply(401, 'Invalid token', 'invalid_api_key');
}
