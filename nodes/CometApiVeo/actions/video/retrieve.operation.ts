import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { Job, JobResult } from '../../helpers/jobs';
import type { WaitSettings } from '../../helpers/lifecycle';
import { finishJob } from '../../helpers/lifecycle';
import { fetchTask } from '../../helpers/tasks-api';
import { requireTaskId } from '../../helpers/validation';
import { waitingFields } from './waiting.description';
import { readWaitSettings } from './waiting';

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
	const taskId = requireTaskId(this, itemIndex, this.getNodeParameter('taskId', itemIndex));
	return { taskId, settings: readWaitSettings.call(this, itemIndex) };
}

export async function execute(
	this: IExecuteFunctions,
	plan: RetrievePlan,
	job: Job,
): Promise<JobResult> {
	const task = await fetchTask.call(this, job, plan.taskId);
	return await finishJob.call(this, job, task, plan.settings);
}
