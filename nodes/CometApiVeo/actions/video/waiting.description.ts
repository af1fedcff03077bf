import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { PollSettings } from '../../helpers/wait';

/**
 * The waiting and delivery fields Create and Retrieve share. Create waits by default (prompt
 * in, video out); Retrieve does not, so a workflow can check on a job created earlier.
 */
const waitForCompletion: INodeProperties = {
	displayName: 'Wait for Completion',
	name: 'waitForCompletion',
	type: 'boolean',
	default: false,
	description:
		'Whether to poll the job until it finishes and hand back the video. Off: output the task as it is now.',
};

export function waitingFields(waitByDefault: boolean): INodeProperties[] {
	return [
		waitByDefault ? { ...waitForCompletion, default: true } : waitForCompletion,
		{
			displayName: 'Output',
			name: 'output',
			type: 'options',
			default: 'binary',
			displayOptions: { show: { waitForCompletion: [true] } },
			options: [
				{ name: 'Video as Binary', value: 'binary', description: 'Download the video into a binary property' },
				{ name: 'URL Only', value: 'url', description: 'Only output the task with its video URL' },
			],
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Binary Property',
					name: 'binaryPropertyName',
					type: 'string',
					default: 'data',
					description: 'Name of the output binary property that receives the video',
					displayOptions: { show: { '/waitForCompletion': [true], '/output': ['binary'] } },
				},
				{
					displayName: 'File Name',
					name: 'fileName',
					type: 'string',
					default: '',
					placeholder: 'e.g. kite-at-sunset.mp4',
					description: 'File name of the video. Empty: the task ID with .mp4.',
					displayOptions: { show: { '/waitForCompletion': [true], '/output': ['binary'] } },
				},
				{
					displayName: 'Max Concurrent Jobs',
					name: 'maxConcurrentJobs',
					type: 'number',
					default: 5,
					typeOptions: { minValue: 1 },
					description: 'How many items run at the same time. Lower it if CometAPI answers 429.',
				},
				{
					displayName: 'Max Wait (Minutes)',
					name: 'maxWaitMinutes',
					type: 'number',
					default: 15,
					typeOptions: { minValue: 0.01, numberPrecision: 2 },
					description: 'How long to wait for a job before On Timeout applies',
					displayOptions: { show: { '/waitForCompletion': [true] } },
				},
				{
					displayName: 'On Timeout',
					name: 'onTimeout',
					type: 'options',
					default: 'return',
					displayOptions: { show: { '/waitForCompletion': [true] } },
					options: [
						{
							name: 'Return the Unfinished Task',
							value: 'return',
							description: 'Output the task with its ID and last status, to retrieve later',
						},
						{ name: 'Raise an Error', value: 'error', description: 'Fail the item; the error names the task ID' },
					],
				},
				{
					displayName: 'Poll Interval (Seconds)',
					name: 'pollInterval',
					type: 'number',
					default: 10,
					typeOptions: { minValue: 1 },
					description: 'How often to ask CometAPI about the job',
					displayOptions: { show: { '/waitForCompletion': [true] } },
				},
			],
		},
	];
}

export interface WaitSettings extends PollSettings {
	wait: boolean;
	output: 'binary' | 'url';
	onTimeout: 'return' | 'error';
	binaryPropertyName: string;
	/** Empty: `<task id>.mp4`. */
	fileName: string;
}

interface WaitOptions {
	binaryPropertyName?: string;
	fileName?: string;
	maxWaitMinutes?: number;
	onTimeout?: 'return' | 'error';
	pollInterval?: number;
}

function invalid(ctx: IExecuteFunctions, itemIndex: number, field: string, problem: string): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: "${field}" ${problem}`, { itemIndex });
}

/** Reads and checks one item's waiting settings; sends nothing. */
export function readWaitSettings(this: IExecuteFunctions, itemIndex: number, waitByDefault: boolean): WaitSettings {
	const wait = this.getNodeParameter('waitForCompletion', itemIndex, waitByDefault) as boolean;
	const output = (wait ? this.getNodeParameter('output', itemIndex, 'binary') : 'url') as WaitSettings['output'];
	const options = this.getNodeParameter('options', itemIndex, {}) as WaitOptions;
	const pollInterval = Number(options.pollInterval ?? 10);
	const maxWaitMinutes = Number(options.maxWaitMinutes ?? 15);
	const binaryPropertyName = String(options.binaryPropertyName ?? 'data').trim();
	if (wait) {
		if (!(pollInterval >= 1)) throw invalid(this, itemIndex, 'Poll Interval (Seconds)', 'must be at least 1');
		if (!(maxWaitMinutes > 0)) throw invalid(this, itemIndex, 'Max Wait (Minutes)', 'must be more than 0');
		if (output === 'binary' && !binaryPropertyName) throw invalid(this, itemIndex, 'Binary Property', 'is empty');
	}
	return {
		wait,
		output,
		onTimeout: options.onTimeout === 'error' ? 'error' : 'return',
		binaryPropertyName,
		fileName: String(options.fileName ?? '').trim(),
		intervalMs: pollInterval * 1000,
		maxWaitMs: maxWaitMinutes * 60_000,
	};
}

/** The node-wide concurrency, read once from the first item. */
export function readMaxConcurrentJobs(this: IExecuteFunctions): number {
	const options = this.getNodeParameter('options', 0, {}) as { maxConcurrentJobs?: number };
	const value = Math.floor(Number(options.maxConcurrentJobs ?? 5));
	return Number.isFinite(value) && value >= 1 ? value : 5;
}
