import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fieldError } from '../../helpers/validation';
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
					typeOptions: { minValue: 1, numberPrecision: 0 },
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
	onTimeout?: unknown;
	pollInterval?: number;
}

/** One of a field's option values; anything else (say from an expression) is an error. */
function oneOf<T extends string>(ctx: IExecuteFunctions, itemIndex: number, field: string, value: unknown, allowed: readonly T[]): T {
	if (allowed.includes(value as T)) return value as T;
	throw fieldError(ctx, itemIndex, field, `must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}`);
}

/** Reads and checks one item's waiting settings; sends nothing. */
export function readWaitSettings(this: IExecuteFunctions, itemIndex: number, waitByDefault: boolean): WaitSettings {
	const wait = this.getNodeParameter('waitForCompletion', itemIndex, waitByDefault);
	if (typeof wait !== 'boolean') {
		throw fieldError(this, itemIndex, 'Wait for Completion', `must be true or false, not ${JSON.stringify(wait)}`);
	}
	const output = wait ? oneOf(this, itemIndex, 'Output', this.getNodeParameter('output', itemIndex, 'binary'), ['binary', 'url'] as const) : 'url';
	const options = this.getNodeParameter('options', itemIndex, {}) as WaitOptions;
	const pollInterval = Number(options.pollInterval ?? 10);
	const maxWaitMinutes = Number(options.maxWaitMinutes ?? 15);
	const binaryPropertyName = String(options.binaryPropertyName ?? 'data').trim();
	const onTimeout = oneOf(this, itemIndex, 'On Timeout', options.onTimeout ?? 'return', ['return', 'error'] as const);
	if (wait) {
		if (!(pollInterval >= 1)) throw fieldError(this, itemIndex, 'Poll Interval (Seconds)', 'must be at least 1');
		if (!(maxWaitMinutes > 0)) throw fieldError(this, itemIndex, 'Max Wait (Minutes)', 'must be more than 0');
		if (output === 'binary' && !binaryPropertyName) throw fieldError(this, itemIndex, 'Binary Property', 'is empty');
	}
	return {
		wait,
		output,
		onTimeout,
		binaryPropertyName,
		fileName: String(options.fileName ?? '').trim(),
		intervalMs: pollInterval * 1000,
		maxWaitMs: maxWaitMinutes * 60_000,
	};
}

/** The node-wide concurrency, read once from the first item (before anything is sent). */
export function readMaxConcurrentJobs(this: IExecuteFunctions): number {
	const options = this.getNodeParameter('options', 0, {}) as { maxConcurrentJobs?: unknown };
	const value = Number(options.maxConcurrentJobs ?? 5);
	if (!Number.isInteger(value) || value < 1) {
		throw fieldError(this, 0, 'Max Concurrent Jobs', `must be a whole number of at least 1, not ${JSON.stringify(options.maxConcurrentJobs)}`);
	}
	return value;
}
