import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { normaliseTask } from '../../helpers/task';
import { requireTaskId } from '../../helpers/validation';
import { apiRequest } from '../../transport';
import type { JobContext, JobResult } from '../types';

const properties: INodeProperties[] = [
	{
		displayName: 'Task ID',
		name: 'taskId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. task_pa9CKKtYlTdxO7IIHOKKhXfjxEu4EQoR',
		description: 'The ID that Create returned',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['video'], operation: ['retrieve'] } },
	properties,
);

export interface RetrievePlan {
	taskId: string;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): RetrievePlan {
	return { taskId: requireTaskId.call(this, itemIndex, this.getNodeParameter('taskId', itemIndex, '')) };
}

export async function execute(
	this: IExecuteFunctions,
	plan: RetrievePlan,
	job: JobContext,
): Promise<JobResult> {
	// The task already exists, so its id is known whatever happens next.
	job.accepted(plan.taskId);
	const raw: IDataObject = await apiRequest.call(this, {
		method: 'GET',
		path: `/v1/videos/${encodeURIComponent(plan.taskId)}`,
		itemIndex: job.itemIndex,
	});
	return { json: normaliseTask(raw, plan.taskId) };
}
