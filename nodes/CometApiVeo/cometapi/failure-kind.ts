import type { IDataObject } from 'n8n-workflow';

import type { Failure, FailureKind } from '../failures';
import { isInvalidCode, MAX_TEXT_CHARS, refusalWordOf, type RefusalWords } from './failure-words';

// What kind of end a job had, in one word a workflow's IF node and a model can route on, and
// CometAPI's answers read into it. Classification only labels: nothing is refused on a word.

export type { Failure, FailureKind };

export interface FailureKindDoc {
	/** What happened, in one line. */
	happened: string;
	/** What the user (or an agent) can do next, in one line. */
	next: string;
	/** `retryable` when nothing more is known. */
	retryable: boolean;
}

/** Every kind, for the README's table and the agent's tool answer. */
export const FAILURE_KINDS: Readonly<Record<FailureKind, FailureKindDoc>> = {
	content_refused: {
		happened: 'A safety, policy, RAI or moderation filter refused the prompt or an image.',
		next: 'Rewrite the prompt (or change the image) and create again; the same input is refused again.',
		retryable: false,
	},
	invalid_request: {
		happened: 'CometAPI or the node refused the request as invalid (a field, size or seconds).',
		next: 'Fix the field the message names (check size and seconds for the alias), then create again.',
		retryable: false,
	},
	auth_failed: {
		happened: 'CometAPI did not accept the API key, or the key may not use this model.',
		next: 'Check the key in the CometAPI Veo credential and the model alias.',
		retryable: false,
	},
	rate_limited: {
		happened: 'CometAPI was still rate limiting after the node retried.',
		next: 'Wait a little and run again, or lower Max Concurrent Jobs.',
		retryable: true,
	},
	spend_limit: {
		happened: 'Max Estimated Spend per Execution stopped this job before it was sent.',
		next: 'Raise the limit, or run fewer or cheaper jobs in one execution.',
		retryable: false,
	},
	in_doubt: {
		happened: 'A create may have been accepted (and billed), but no id came back.',
		next: 'Check your CometAPI task list before sending it again: it may already be running.',
		retryable: false,
	},
	upstream_failed: {
		happened:
			'CometAPI or the provider failed the job for another reason, or gave an unusable answer.',
		next: 'Read the message and raw answer; try again later if it names a passing problem.',
		retryable: false,
	},
	timed_out: {
		happened: 'The job was still running when Max Wait ended; its id is kept.',
		next: 'Retrieve the id later (the job goes on at CometAPI), or raise Max Wait.',
		retryable: true,
	},
	download_failed: {
		happened: 'The video was finished but could not be fetched.',
		next: 'Retrieve the id again soon: the video URL may expire.',
		retryable: true,
	},
	stopped: {
		happened: 'The execution was cancelled, or the batch stopped because another item failed.',
		next: 'Run it again; ids already accepted are in the output, retrieve those instead of creating.',
		retryable: true,
	},
};

/** A kind and whether the same thing may be sent again; `word` is what decided a refusal. */
export interface Classification {
	kind: FailureKind;
	retryable: boolean;
	word?: string;
}

// ---- Reading the words out of an answer (bounded: fixed places, capped lengths and counts) ----

const MAX_LIST = 8;

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textOf(value: unknown): string | undefined {
	if (typeof value === 'string' && value.trim()) return value.slice(0, MAX_TEXT_CHARS);
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

function objectOf(value: unknown): IDataObject {
	if (Array.isArray(value)) return isObject(value[0]) ? value[0] : {};
	return isObject(value) ? value : {};
}

function textsOf(values: unknown[]): string[] {
	return values.map(textOf).filter((text): text is string => text !== undefined);
}

function listOf(value: unknown): unknown[] {
	return Array.isArray(value) ? value.slice(0, MAX_LIST) : [];
}

const CODE_FIELDS = ['fail_code', 'error_code', 'error_type', 'failure_code', 'failureCode'];
const MESSAGE_FIELDS = ['fail_reason', 'failure_reason', 'fail_msg', 'error_message', 'reason'];

/** Google's own RAI fields, where a relay passes its answer through. */
function raiWordsOf(layer: IDataObject, into: RefusalWords): boolean {
	const response = objectOf(layer.response);
	const places = [layer, response, objectOf(response.generateVideoResponse)];
	let filtered = false;
	for (const place of places) {
		const reasons = listOf(place.raiMediaFilteredReasons ?? place.rai_media_filtered_reasons);
		const count = place.raiMediaFilteredCount ?? place.rai_media_filtered_count;
		into.codes.push(...textsOf(reasons));
		if (reasons.length > 0 || (typeof count === 'number' && count > 0)) filtered = true;
	}
	return filtered;
}

/** The codes and messages of a task that ended failed: at the top or in a `data` wrapper. */
export function taskFailureWords(raw: unknown): RefusalWords & { raiFiltered: boolean } {
	const words: RefusalWords = { codes: [], messages: [] };
	let raiFiltered = false;
	// A list is read only as a `data` wrapper, never as the task itself.
	const top = isObject(raw) ? raw : {};
	for (const layer of [top, objectOf(top.data)]) {
		const error = layer.error;
		if (typeof error === 'string') words.messages.push(...textsOf([error]));
		const inner = objectOf(error);
		words.codes.push(...textsOf([inner.code, inner.type, inner.status]));
		words.codes.push(...textsOf(CODE_FIELDS.map((name) => layer[name])));
		words.messages.push(...textsOf([inner.message, ...MESSAGE_FIELDS.map((name) => layer[name])]));
		raiFiltered = raiWordsOf(layer, words) || raiFiltered;
	}
	return { ...words, raiFiltered };
}

/** CometAPI's envelope `{error:{message,type,code}}`, `{error:"text"}`, `{message}`, fal's `detail`, or text. */
export function refusalBodyWords(body: unknown): RefusalWords {
	if (typeof body === 'string') return { codes: [], messages: textsOf([body]) };
	const top = isObject(body) ? body : {};
	const inner = objectOf(top.error);
	const words: RefusalWords = {
		codes: textsOf([inner.code, inner.type, top.code, top.type]),
		messages: textsOf([top.error, inner.message, top.message]),
	};
	const details = typeof top.detail === 'string' ? [{ msg: top.detail }] : listOf(top.detail);
	for (const detail of details.map(objectOf)) {
		words.codes.push(...textsOf([detail.type, ...listOf(detail.categories)]));
		words.messages.push(...textsOf([detail.msg]));
	}
	return words;
}

// ---- Classifying ----

/**
 * A task that ended `failed` or `error`. A safety or policy word, or Google's RAI fields, make
 * it `content_refused`; an invalid-request code `invalid_request`; anything else the safe
 * default, `upstream_failed`, not retryable (sending it again is a new billed job).
 */
export function classifyTaskFailure(raw: unknown): Classification {
	const words = taskFailureWords(raw);
	const word = refusalWordOf(words, true) ?? (words.raiFiltered ? 'raiMediaFiltered' : undefined);
	if (word) return { kind: 'content_refused', retryable: false, word };
	if (words.codes.some(isInvalidCode)) return { kind: 'invalid_request', retryable: false };
	return { kind: 'upstream_failed', retryable: false };
}

/**
 * An HTTP error answer from CometAPI. A 5xx is retryable as far as the answer says; whether a
 * create's body was already sent (then it is `in_doubt`) is for the caller to know.
 */
export function classifyHttpRefusal(status: number, body: unknown): Classification {
	if (!Number.isInteger(status) || status < 400 || status > 599)
		return { kind: 'upstream_failed', retryable: false };
	const words = refusalBodyWords(body);
	if (status === 401) return { kind: 'auth_failed', retryable: false };
	if (status === 429) return { kind: 'rate_limited', retryable: true };
	if (status === 408) return { kind: 'upstream_failed', retryable: true };
	if (status === 403) {
		const word = refusalWordOf(words, false);
		if (word) return { kind: 'content_refused', retryable: false, word };
		return { kind: 'auth_failed', retryable: false };
	}
	// CometAPI answers some malformed requests with a 500 and the code `invalid_request`.
	if (status < 500 || (status === 500 && words.codes.some(isInvalidCode))) {
		const word = refusalWordOf(words, true);
		if (word) return { kind: 'content_refused', retryable: false, word };
		return { kind: 'invalid_request', retryable: false };
	}
	return { kind: 'upstream_failed', retryable: true };
}

/** The `failure` field for a classification and the message the item's `error` shows. */
export function failureOf(classification: Classification, message: string): Failure {
	return { kind: classification.kind, retryable: classification.retryable, message };
}
