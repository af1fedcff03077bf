import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { runBounded } from '../helpers/jobs';
import { getApiRoot } from '../transport';
import type { VideoTask } from '../helpers/task';
import type { JobResult, Operation } from './types';
import * as video from './video';
import { readMaxConcurrentJobs } from './video/waiting.description';

type Outcome = { kind: 'done'; result: JobResult } | { kind: 'failed'; error: Error };

function withItemIndex(ctx: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/** The fields of a known task that a failed item still carries (CometAPI's raw answer aside). */
function taskFields(task: VideoTask | undefined): IDataObject {
	if (!task?.id) return {};
	const fields: IDataObject = { ...task };
	delete fields.raw;
	return fields;
}

/**
 * Items in, items out, in input order with pairedItem. Every item's input is checked before
 * any request is sent, so bad input never leaves a half-run batch behind. Jobs then run
 * concurrently, at most Max Concurrent Jobs at a time. Without Continue On Fail the first
 * failure stops new jobs and ends the waiting of running ones (their creates finish), and its
 * error names every job CometAPI accepted, so no paid job is lost.
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
	// A Base URL that is no URL fails once, here, before any item sends anything.
	await getApiRoot.call(this);

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

	const tasks = new Map<number, VideoTask>();
	let stop = false;
	await runBounded(
		items.length,
		readMaxConcurrentJobs.call(this),
		async (itemIndex) => {
			if (outcomes[itemIndex]) return;
			const job = {
				itemIndex,
				update: (task: VideoTask) => tasks.set(itemIndex, task),
				stopping: () => stop,
			};
			try {
				outcomes[itemIndex] = { kind: 'done', result: await operation.execute.call(this, plans[itemIndex], job) };
			} catch (error) {
				outcomes[itemIndex] = { kind: 'failed', error: withItemIndex(this, error, itemIndex) };
				if (!continueOnFail) stop = true;
			}
		},
		() => stop,
	);

	if (!continueOnFail) {
		const firstFailure = outcomes.find((outcome) => outcome?.kind === 'failed');
		if (firstFailure?.kind === 'failed') throw withKnownJobs(firstFailure.error, tasks);
	}

	return [
		outcomes.map((outcome, itemIndex): INodeExecutionData => {
			const pairedItem = { item: itemIndex };
			if (outcome?.kind === 'done') return { ...outcome.result, pairedItem };
			const error = outcome?.error as Error & { description?: string | null };
			// Only error/message/details keys: n8n sends such an item to the error output when
			// the node has one (an `error` property would make n8n drop the rest of the json).
			// The job travels in details, so its id is never lost.
			const details: IDataObject = { ...taskFields(tasks.get(itemIndex)) };
			if (error?.description) details.description = error.description;
			const json: IDataObject = { error: error?.message ?? 'Not run' };
			if (Object.keys(details).length > 0) json.details = details;
			return { json, pairedItem };
		}),
	];
}

/** Accepted jobs are billed: their ids go into the error so the user can still fetch them. */
function withKnownJobs(error: Error, tasks: Map<number, VideoTask>): Error {
	const known = [...tasks.entries()].filter(([, task]) => task.id);
	if (known.length === 0) return error;
	const list = known.map(([item, task]) => `item ${item}: ${task.id} (${task.status})`).join(', ');
	const note = `Jobs CometAPI accepted (retrieve them by ID): ${list}`;
	const described = error as Error & { description?: string | null };
	described.description = described.description ? `${described.description}\n${note}` : note;
	return error;
}
