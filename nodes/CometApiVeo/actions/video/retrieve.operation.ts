import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { Job, JobResult } from '../../engine/jobs';
import type { WaitSettings } from '../../engine/lifecycle';
import { finishJob } from '../../engine/lifecycle';
import { fetchTask } from '../../cometapi/videos';
import { isValidTaskId } from '../../cometapi/task';
import { fieldError } from '../../failures';
import { requireText } from '../../helpers/parameters';
import { runFields } from '../../engine/run-options.fields';
import { readWaitSettings } from '../../engine/run-options';

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
	...runFields('retrieve'),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['video'], operation: ['retrieve'] } },
	properties,
);

export interface RetrievePlan {
	taskId: string;
	settings: WaitSettings;
}

function requireTaskId(ctx: IExecuteFunctions, itemIndex: number, value: unknown): string {
	const id = requireText(
		ctx,
		itemIndex,
		value,
		'Task ID',
		'Use the id that Create returned, e.g. {{ $json.id }}.',
	);
	if (!isValidTaskId(id)) {
		throw fieldError(
			ctx,
			itemIndex,
			'Task ID',
			`is not a valid task id: ${JSON.stringify(id.slice(0, 80))}`,
			'A task id has only letters, digits and _ . : - (e.g. task_abc123), no slashes or spaces.',
		);
	}
	return id;
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
