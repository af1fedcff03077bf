import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

/** What an operation may tell the router about the item it works on. */
export interface JobContext {
	itemIndex: number;
	/** CometAPI accepted a job for this item: its id must reach the output whatever happens next. */
	accepted(taskId: string): void;
}

export type JobResult = Omit<INodeExecutionData, 'pairedItem'> & { json: IDataObject };

/** Each operation checks an item's input first (no request), then runs it. */
export interface Operation<Plan = unknown> {
	prepare(this: IExecuteFunctions, itemIndex: number): Plan | Promise<Plan>;
	execute(this: IExecuteFunctions, plan: Plan, job: JobContext): Promise<JobResult>;
}
