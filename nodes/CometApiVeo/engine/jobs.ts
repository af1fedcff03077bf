import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getApiRoot } from '../transport';
import { failedAs } from '../failures';
import type { NodeError } from './node-error';
import { toNodeError } from './node-error';
import type { Runtime, Scope } from '../transport/runtime';
import type { VideoTask } from '../cometapi/task';
import type { Unit } from './known-jobs';
import type { JobResult } from './known-jobs';
import { notTaken, toItem, withKnownJobs } from './known-jobs';
import { isToolRun } from './tool-answer';

/** One job as an operation sees it: its scope, its variant, and where to record CometAPI's answers. */
export interface Job extends Scope {
	/** 1-based variant of the item's prompt (Videos per Prompt), and how many there are. */
	variant: number;
	variants: number;
	/**
	 * Records the latest state of this job. Once CometAPI has accepted a job its id must reach
	 * the output or the error whatever happens next, so every state is recorded here.
	 */
	record(task: VideoTask): void;
	/** A create was sent and CometAPI's answer is not known yet (or never was): maybe billed. */
	createInDoubt(inDoubt: boolean): void;
}

export type { JobResult } from './known-jobs';

/** An operation: check an item's input (nothing sent), then run each of its jobs. */
export interface Operation<Plan> {
	prepare(this: IExecuteFunctions, itemIndex: number): Plan | Promise<Plan>;
	execute(this: IExecuteFunctions, plan: Plan, job: Job): Promise<JobResult>;
	/** How many jobs (variants) an item's plan makes; one when absent. */
	variantsOf?(plan: Plan): number;
	/**
	 * Runs once, after every item was checked and before any job: a check of the whole batch
	 * (a spend limit, say). Throwing fails the node and nothing is sent.
	 */
	beforeJobs?(this: IExecuteFunctions, plans: Plan[], runtime: Runtime): Promise<void>;
	/**
	 * Runs once after the jobs, before the node's output or error, with one plan per job
	 * CometAPI certainly did not take: never started (the batch stopped), or failed with no
	 * create accepted or in doubt (a frame that could not be fetched, a refusal).
	 */
	afterJobs?(this: IExecuteFunctions, notTaken: Plan[]): void;
}

/**
 * Continue On Fail, or a run as an AI Agent's tool: each failed job becomes its own item, with
 * its task in details, so the model is told what became of the job it asked about (tool-run.ts).
 */
function failsItemByItem(ctx: IExecuteFunctions): boolean {
	return ctx.continueOnFail() || isToolRun(ctx);
}

const STOPPED = { kind: 'stopped', retryable: true } as const;

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
 * sent, so bad input never leaves a half-run batch behind. Jobs (an item's variants each count)
 * then run at most `concurrency` at a time, in one abort signal: the execution's cancel signal
 * joined with the batch's own failure. Without Continue On Fail the first failure aborts it,
 * so every other job stops at once (sleeps, retry waits and open requests; a create already on
 * the wire finishes, since it may be accepted), and the error names every job CometAPI
 * accepted. Output keeps input order, variants in order, each paired with its input item.
 */
export async function runJobs<Plan>(
	this: IExecuteFunctions,
	operation: Operation<Plan>,
	concurrency: number,
	runtime: Runtime,
): Promise<INodeExecutionData[][]> {
	const continueOnFail = failsItemByItem(this);
	const units = await prepareAll.call(this, operation);
	const plans = [
		...new Set(units.filter((unit) => 'plan' in unit).map((unit) => unit.plan as Plan)),
	];
	try {
		await operation.beforeJobs?.call(this, plans, runtime);
	} catch (error) {
		// A refusal of the whole batch (the spend limit): nothing was sent. With Continue On Fail
		// each item says so with its typed outcome, as an item's own failure would.
		const failure = toNodeError(this, error);
		if (!continueOnFail) throw failure;
		for (const unit of units) unit.outcome ??= { kind: 'failed', error: failure };
		return [units.map(toItem)];
	}
	const cancelSignal = this.getExecutionCancelSignal() ?? new AbortController().signal;
	const batch = new AbortController();
	const signal = AbortSignal.any([cancelSignal, batch.signal]);
	// The failure that stopped the batch; jobs that end because of the stop are not the cause.
	let cause: NodeError | undefined;

	await runBounded(
		units.length,
		concurrency,
		async (index) => {
			const unit = units[index];
			if (unit.outcome) return;
			const { itemIndex, variant, variants } = unit;
			const job: Job = {
				itemIndex,
				variant,
				variants,
				// Its own signal, stopped with the batch's: every wait listens on the signal it is
				// given, and up to 100 jobs on one shared signal would make Node warn of a leak.
				signal: AbortSignal.any([signal]),
				cancelSignal,
				runtime,
				record: (task) => {
					unit.task = task;
					unit.inDoubt = false;
				},
				createInDoubt: (inDoubt) => (unit.inDoubt = inDoubt),
			};
			try {
				unit.outcome = {
					kind: 'done',
					result: await operation.execute.call(this, unit.plan as Plan, job),
				};
			} catch (error) {
				// A job ended by the batch's stop did not fail of itself.
				if (signal.aborted && error instanceof Error) failedAs(error, STOPPED);
				const failure = toNodeError(this, error, itemIndex);
				unit.outcome = { kind: 'failed', error: failure };
				if (!continueOnFail && !signal.aborted) {
					cause = failure;
					batch.abort(new Error(`item ${itemIndex} failed`));
				}
			}
		},
		() => signal.aborted,
	);
	// runBounded does not throw: every job's failure is caught into its unit.
	operation.afterJobs?.call(
		this,
		units.filter(notTaken).map((unit) => unit.plan as Plan),
	);

	if (cancelSignal.aborted) {
		const stopped = withKnownJobs(
			toNodeError(
				this,
				failedAs(new NodeOperationError(this.getNode(), 'The execution was stopped'), STOPPED),
			),
			units,
		);
		// n8n discards a stopped node's error: its log is where the billed jobs stay named.
		if (stopped.description) this.logger.warn(`${stopped.message}. ${stopped.description}`);
		throw stopped;
	}
	if (cause) throw withKnownJobs(cause, units);
	return [units.map(toItem)];
}

/**
 * Checks every item's input with the operation's prepare, and that the credential's Base URL
 * is usable, before anything is sent; then lays out one unit per variant. Without Continue On
 * Fail the first bad item fails the node; with it, a bad item becomes one error item.
 */
async function prepareAll<Plan>(
	this: IExecuteFunctions,
	operation: Operation<Plan>,
): Promise<Array<Unit & { plan?: Plan }>> {
	const units: Array<Unit & { plan?: Plan }> = [];
	for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
		try {
			await getApiRoot.call(this, itemIndex);
			const plan = await operation.prepare.call(this, itemIndex);
			const variants = operation.variantsOf?.(plan) ?? 1;
			const numbered = operation.variantsOf !== undefined;
			for (let variant = 1; variant <= variants; variant++)
				units.push({ itemIndex, numbered, variant, variants, plan });
		} catch (error) {
			const failure = toNodeError(this, error, itemIndex);
			if (!failsItemByItem(this)) throw failure;
			units.push({
				itemIndex,
				numbered: false,
				variant: 1,
				variants: 1,
				outcome: { kind: 'failed', error: failure },
			});
		}
	}
	return units;
}
