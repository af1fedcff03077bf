import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getApiRoot } from '../transport';
import type { DescribedError } from '../transport/errors';
import { asNodeError } from '../transport/errors';
import type { Runtime, Scope } from '../transport/runtime';
import type { VideoTask } from './task';

/** One item's job as an operation sees it: its scope, and where to record what CometAPI said. */
export interface Job extends Scope {
	/**
	 * Records the latest state of this item's job. Once CometAPI has accepted a job its id must
	 * reach the output or the error whatever happens next, so every state is recorded here.
	 */
	record(task: VideoTask): void;
}

export type JobResult = Omit<INodeExecutionData, 'pairedItem'> & { json: IDataObject };

/** An operation: check an item's input (nothing sent), then run its job. */
export interface Operation<Plan> {
	prepare(this: IExecuteFunctions, itemIndex: number): Plan | Promise<Plan>;
	execute(this: IExecuteFunctions, plan: Plan, job: Job): Promise<JobResult>;
}

type Outcome = { kind: 'done'; result: JobResult } | { kind: 'failed'; error: DescribedError };

/** Runs `count` jobs with at most `limit` in flight; none starts once `stopped` says so. */
async function runBounded(
	count: number,
	limit: number,
	run: (index: number) => Promise<void>,
	stopped: () => boolean,
): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < count && !stopped()) await run(next++);
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, worker));
}

/**
 * The one owner of a node run's batch. Every item's input is checked before any request is
 * sent, so bad input never leaves a half-run batch behind. Jobs then run at most `concurrency`
 * at a time, in one abort signal: the execution's cancel signal joined with the batch's own
 * failure. Without Continue On Fail the first failure aborts it, so every other job stops at
 * once (sleeps, retry waits and open requests; a create already on the wire finishes, since it
 * may be accepted), and the error names every job CometAPI accepted. Output keeps input order
 * and pairing.
 */
export async function runJobs<Plan>(
	this: IExecuteFunctions,
	operation: Operation<Plan>,
	concurrency: number,
	runtime: Runtime,
): Promise<INodeExecutionData[][]> {
	const prepared = await prepareAll.call(this, operation);
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const cancelSignal = this.getExecutionCancelSignal() ?? new AbortController().signal;
	const batch = new AbortController();
	const signal = AbortSignal.any([cancelSignal, batch.signal]);

	const outcomes: Array<Outcome | undefined> = items.map((_, index) => {
		const error = prepared.failures.get(index);
		return error ? { kind: 'failed', error } : undefined;
	});
	const tasks = new Map<number, VideoTask>();
	// The failure that stopped the batch; jobs that end because of the stop are not the cause.
	let cause: DescribedError | undefined;

	await runBounded(
		items.length,
		concurrency,
		async (itemIndex) => {
			if (outcomes[itemIndex]) return;
			const job: Job = {
				itemIndex,
				signal,
				cancelSignal,
				runtime,
				record: (task) => tasks.set(itemIndex, task),
			};
			try {
				const result = await operation.execute.call(this, prepared.plans[itemIndex] as Plan, job);
				outcomes[itemIndex] = { kind: 'done', result };
			} catch (error) {
				const failure = asNodeError(this, error, itemIndex);
				outcomes[itemIndex] = { kind: 'failed', error: failure };
				if (!continueOnFail && !signal.aborted) {
					cause = failure;
					batch.abort(new Error(`item ${itemIndex} failed`));
				}
			}
		},
		() => signal.aborted,
	);

	if (cancelSignal.aborted) {
		throw withKnownJobs(new NodeOperationError(this.getNode(), 'The execution was stopped'), tasks);
	}
	if (cause) throw withKnownJobs(cause, tasks);
	return [outcomes.map((outcome, itemIndex) => toItem(outcome, tasks.get(itemIndex), itemIndex))];
}

/**
 * Checks every item's input with the operation's prepare, and that the credential's Base URL
 * is usable, before anything is sent. Without Continue On Fail the first bad item fails the
 * node; with it, bad items become error items.
 */
async function prepareAll<Plan>(
	this: IExecuteFunctions,
	operation: Operation<Plan>,
): Promise<{ plans: Array<Plan | undefined>; failures: Map<number, DescribedError> }> {
	const count = this.getInputData().length;
	const plans: Array<Plan | undefined> = new Array(count);
	const failures = new Map<number, DescribedError>();
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			await getApiRoot.call(this, itemIndex);
			plans[itemIndex] = await operation.prepare.call(this, itemIndex);
		} catch (error) {
			const failure = asNodeError(this, error, itemIndex);
			if (!this.continueOnFail()) throw failure;
			failures.set(itemIndex, failure);
		}
	}
	return { plans, failures };
}

/** The fields of a known task that a failed item still carries (CometAPI's raw answer aside). */
function taskFields(task: VideoTask | undefined): IDataObject {
	if (!task) return {};
	const fields: IDataObject = { ...task };
	delete fields.raw;
	return fields;
}

function toItem(
	outcome: Outcome | undefined,
	task: VideoTask | undefined,
	itemIndex: number,
): INodeExecutionData {
	const pairedItem = { item: itemIndex };
	if (outcome?.kind === 'done') return { ...outcome.result, pairedItem };
	// Only error/message/details keys: n8n sends such an item to the error output when the node
	// has one (an `error` property would make n8n drop the rest of the json). The job travels in
	// details, so its id is never lost.
	const details: IDataObject = taskFields(task);
	if (outcome?.error.description) details.description = outcome.error.description;
	const json: IDataObject = { error: outcome?.error.message ?? 'Not run' };
	if (Object.keys(details).length > 0) json.details = details;
	return { json, pairedItem };
}

/** Accepted jobs are billed: their ids go into the error so the user can still fetch them. */
function withKnownJobs(error: DescribedError, tasks: Map<number, VideoTask>): DescribedError {
	if (tasks.size === 0) return error;
	const list = [...tasks.entries()]
		.map(([item, task]) => `item ${item}: ${task.id} (${task.status})`)
		.join(', ');
	const note = `Jobs CometAPI accepted (retrieve them by ID): ${list}`;
	error.description = error.description ? `${error.description}\n${note}` : note;
	return error;
}
