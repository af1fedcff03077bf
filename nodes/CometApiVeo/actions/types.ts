import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { VideoTask } from '../helpers/task';

/** What an operation may tell the router about the item it works on. */
export interface JobContext {
	itemIndex: number;
	/**
	 * The latest known state of this item's job. Once CometAPI has accepted a job its id must
	 * reach the output whatever happens next, so the router keeps what it is told here.
	 */
	update(task: VideoTask): void;
	/** True once another item failed without Continue On Fail: the node is about to throw. */
	stopping(): boolean;
}

export type JobResult = Omit<INodeExecutionData, 'pairedItem'> & { json: IDataObject };

/** Each operation checks an item's input first (no request), then runs it. */
export interface Operation<Plan = unknown> {
	prepare(this: IExecuteFunctions, itemIndex: number): Plan | Promise<Plan>;
	execute(this: IExecuteFunctions, plan: Plan, job: JobContext): Promise<JobResult>;
}
