import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { deliver } from '../../helpers/deliver';
import { fetchTask } from '../../helpers/fetch-task';
import { requireTaskId } from '../../helpers/validation';
import type { JobContext, JobResult } from '../types';
import type { WaitSettings } from './waiting.description';
import { readWaitSettings, waitingFields } from './waiting.description';

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
	...waitingFields(false),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['video'], operation: ['retrieve'] } },
	properties,
);

export interface RetrievePlan {
	taskId: string;
	settings: WaitSettings;
}

export function prepare(this: IExecuteFunctions, itemIndex: number): RetrievePlan {
	const taskId = requireTaskId.call(this, itemIndex, this.getNodeParameter('taskId', itemIndex, ''));
	return { taskId, settings: readWaitSettings.call(this, itemIndex, false) };
}

export async function execute(
	this: IExecuteFunctions,
	plan: RetrievePlan,
	job: JobContext,
): Promise<JobResult> {
	const task = await fetchTask.call(this, plan.taskId, job.itemIndex);
	return await deliver.call(this, task, plan.settings, job);
}
