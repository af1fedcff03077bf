import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

// One vocabulary for what failed. The code that meets a failure says what it is (a kind, or
// CometAPI's HTTP refusal to be read for its words); engine/node-error.ts turns every failure
// into n8n's error with its typed outcome. Control flow asks a failure its kind, never its words.

export type FailureKind =
	| 'content_refused'
	| 'invalid_request'
	| 'auth_failed'
	| 'rate_limited'
	| 'spend_limit'
	| 'in_doubt'
	| 'upstream_failed'
	| 'timed_out'
	| 'download_failed'
	| 'stopped';

/** The `failure` field of an output item that did not end with a delivered video. */
export interface Failure {
	kind: FailureKind;
	/** Sending the same thing again, unchanged, may succeed (for a kind with an id: retrieving it). */
	retryable: boolean;
	/** The text the item's `error` shows. */
	message: string;
}

/**
 * What a failure is, as the code that met it knows: its kind, or CometAPI's HTTP answer to an
 * API request (classified by its words in the engine, where CometAPI's vocabulary is known).
 */
export type FailureCause =
	| { kind: FailureKind; retryable: boolean }
	| { httpStatus: number; answer: unknown };

const causes = new WeakMap<object, FailureCause>();

/** Says what the error is; the first cause given stays (the code nearest the failure knows best). */
export function failedAs<E extends object>(error: E, cause: FailureCause): E {
	if (!causes.has(error)) causes.set(error, cause);
	return error;
}

export function causeOf(error: unknown): FailureCause | undefined {
	return typeof error === 'object' && error !== null ? causes.get(error) : undefined;
}

/** Marks the error of a create whose outcome is unknown: CometAPI may have accepted (and billed) it. */
export function inDoubt<E extends object>(error: E): E {
	causes.set(error, { kind: 'in_doubt', retryable: false });
	return error;
}

/** Whether the error is of a create CometAPI may have accepted: asked, never read from its words. */
export function isCreateInDoubt(error: unknown): boolean {
	const cause = causeOf(error);
	return cause !== undefined && 'kind' in cause && cause.kind === 'in_doubt';
}

/**
 * How a problem follows the field's name: as a predicate (`"Size" is not a size...`) or as a
 * statement of its own (`"Image URL": the image at ... could not be used`).
 */
export type FieldJoin = 'predicate' | 'statement';

/** An error for one field of one item, raised before anything is sent: an invalid request. */
export function fieldError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	fieldLabel: string,
	problem: string,
	description?: string,
	join: FieldJoin = 'predicate',
): NodeOperationError {
	const joint = join === 'statement' ? ': ' : ' ';
	const error = new NodeOperationError(
		ctx.getNode(),
		`Item ${itemIndex}: "${fieldLabel}"${joint}${problem}`,
		{
			itemIndex,
			description,
		},
	);
	return failedAs(error, { kind: 'invalid_request', retryable: false });
}
