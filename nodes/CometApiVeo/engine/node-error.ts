import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { Classification } from '../cometapi/failure-kind';
import { classifyHttpRefusal, failureOf } from '../cometapi/failure-kind';
import type { Failure } from '../failures';
import { causeOf, failedAs } from '../failures';

export type NodeError = NodeApiError | NodeOperationError;

/** A failure no code said anything of: the safe default, not to be sent again unchanged. */
const UNKNOWN: Classification = { kind: 'upstream_failed', retryable: false };

function classificationOf(error: unknown): Classification {
	const cause = causeOf(error);
	if (!cause) return UNKNOWN;
	if ('kind' in cause) return cause;
	return classifyHttpRefusal(cause.httpStatus, cause.answer);
}

/**
 * The one place a failure becomes n8n's error: n8n's own errors as they are, anything else
 * wrapped; each carries its typed outcome in `context.failure` (n8n shows the context in the
 * error's details), which an error item's `details.failure` repeats.
 */
export function toNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex?: number): NodeError {
	const nodeError =
		error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
	if (itemIndex !== undefined) nodeError.context.itemIndex ??= itemIndex;
	// The wrapper says what the original was, so CometAPI's answer can still be read from it.
	const cause = causeOf(error);
	if (cause) failedAs(nodeError, cause);
	nodeError.context.failure ??= { ...failureOf(classificationOf(error), nodeError.message) };
	return nodeError;
}

/** The typed outcome a converted error carries. */
export function failureOfError(error: NodeError): Failure {
	return error.context.failure as unknown as Failure;
}

/** CometAPI's own answer to a refused request (its JSON), kept for words the node does not know. */
export function answerOfError(error: NodeError): IDataObject | undefined {
	const cause = causeOf(error);
	const answer = cause && 'answer' in cause ? cause.answer : undefined;
	return typeof answer === 'object' && answer !== null && !Array.isArray(answer)
		? (answer as IDataObject)
		: undefined;
}
