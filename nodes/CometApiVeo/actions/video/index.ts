import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../../engine/jobs';
import * as create from './create.operation';
import * as retrieve from './retrieve.operation';

const createOperation: Operation<create.CreatePlan> = create;
const retrieveOperation: Operation<retrieve.RetrievePlan> = retrieve;

export const operations = { create: createOperation, retrieve: retrieveOperation };

export const hints = [...create.hints];

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['video'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a video',
				description: 'Start a Veo video job from a prompt and optional image frames',
			},
			{
				name: 'Retrieve',
				value: 'retrieve',
				action: 'Retrieve a video job',
				description: 'Get the status and result of a video job by its ID',
			},
		],
		default: 'create',
	},
	...create.description,
	...retrieve.description,
];
