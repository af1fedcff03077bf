import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { runBounded } from '../helpers/jobs';
import type { JobResult, Operation } from './types';
import * as video from './video';

type Outcome =
	| { kind: 'done'; result: JobResult }
	| { kind: 'failed'; error: Error; taskId?: string };

function withItemIndex(ctx: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/**
 * Items in, items out, in input order with pairedItem. Every item's input is checked before
 * any request is sent, so bad input never leaves a half-run batch behind. Without Continue On
 * Fail, the error names every job CometAPI already accepted, so no paid job is lost.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = (
		resource === 'video' ? video.operations[operationName as keyof typeof video.operations] : undefined
	) as Operation<unknown> | undefined;
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" is not supported`);
	}
	const continueOnFail = this.continueOnFail();

	const plans: unknown[] = [];
	const outcomes: Array<Outcome | undefined> = new Array(items.length);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			plans[itemIndex] = await operation.prepare.call(this, itemIndex);
		} catch (error) {
			const failure = withItemIndex(this, error, itemIndex);
			if (!continueOnFail) throw failure;
			outcomes[itemIndex] = { kind: 'failed', error: failure };
		}
	}

	const acceptedIds = new Map<number, string>();
	let stop = false;
	await runBounded(
		items.length,
		1,
		async (itemIndex) => {
			if (outcomes[itemIndex]) return;
			const job = { itemIndex, accepted: (taskId: string) => acceptedIds.set(itemIndex, taskId) };
			try {
				const result = await operation.execute.call(this, plans[itemIndex], job);
				outcomes[itemIndex] = { kind: 'done', result };
			} catch (error) {
				const failure = withItemIndex(this, error, itemIndex);
				outcomes[itemIndex] = { kind: 'failed', error: failure, taskId: acceptedIds.get(itemIndex) };
				if (!continueOnFail) stop = true;
			}
		},
		() => stop,
	);

	if (!continueOnFail) {
		const firstFailure = outcomes.find((outcome) => outcome?.kind === 'failed');
		if (firstFailure?.kind === 'failed') throw withAcceptedIds(firstFailure.error, acceptedIds);
	}

	return [
		outcomes.map((outcome, itemIndex): INodeExecutionData => {
			const pairedItem = { item: itemIndex };
			if (outcome?.kind === 'done') return { ...outcome.result, pairedItem };
			const error = outcome?.error;
			const json = { error: error?.message ?? 'Not run', ...(outcome?.taskId ? { id: outcome.taskId } : {}) };
			return { json, pairedItem };
		}),
	];
}

/** Accepted jobs are billed: their ids go into the error so the user can still fetch them. */
function withAcceptedIds(error: Error, acceptedIds: Map<number, string>): Error {
	if (acceptedIds.size === 0) return error;
	const list = [...acceptedIds.entries()].map(([item, id]) => `item ${item}: ${id}`).join(', ');
	const note = `Jobs CometAPI already accepted (retrieve them with their id): ${list}`;
	const described = error as Error & { description?: string | null };
	described.description = described.description ? `${described.description}\n${note}` : note;
	return error;
}
