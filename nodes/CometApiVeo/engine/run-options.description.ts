import type { INodeProperties } from 'n8n-workflow';

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

const whenWaiting = { show: { '/waitForCompletion': [true] } };
const whenBinary = { show: { '/waitForCompletion': [true], '/output': ['binary'] } };

export function waitingFields(
	waitByDefault: boolean,
	extraOptions: INodeProperties[] = [],
): INodeProperties[] {
	return [
		waitByDefault ? { ...waitForCompletion, default: true } : waitForCompletion,
		{
			displayName: 'Output',
			name: 'output',
			type: 'options',
			default: 'binary',
			displayOptions: { show: { waitForCompletion: [true] } },
			options: [
				{
					name: 'Video as Binary',
					value: 'binary',
					description: 'Download the video into a binary property',
				},
				{ name: 'URL Only', value: 'url', description: 'Only output the task with its video URL' },
			],
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [...waitingOptions, ...extraOptions].sort((a, b) =>
				a.displayName.localeCompare(b.displayName),
			),
		},
	];
}

/**
 * The Options collection. Its defaults and bounds are the only ones: waiting.ts reads them
 * from here (n8n fills the defaults of top-level fields itself, not of a collection's).
 * Upper bounds keep every wait far below the 24.8 days past which a timer fires at once.
 */
export const waitingOptions: INodeProperties[] = [
	{
		displayName: 'Binary Property',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		description: 'Name of the output binary property that receives the video',
		displayOptions: whenBinary,
	},
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		placeholder: 'e.g. kite-at-sunset.mp4',
		description: 'File name of the video. Empty: the task ID with .mp4.',
		displayOptions: whenBinary,
	},
	{
		displayName: 'Max Concurrent Jobs',
		name: 'maxConcurrentJobs',
		type: 'number',
		default: 5,
		typeOptions: { minValue: 1, maxValue: 100, numberPrecision: 0 },
		description: 'How many items run at the same time. Lower it if CometAPI answers 429.',
	},
	{
		displayName: 'Max Download Time (Minutes)',
		name: 'maxDownloadMinutes',
		type: 'number',
		default: 30,
		typeOptions: { minValue: 0.01, maxValue: 240, numberPrecision: 2 },
		description:
			'How long one download of the video may take before it is tried again. Raise it for 4K videos on a slow link.',
		displayOptions: whenBinary,
	},
	{
		displayName: 'Max Wait (Minutes)',
		name: 'maxWaitMinutes',
		type: 'number',
		default: 15,
		typeOptions: { minValue: 0.01, maxValue: 1440, numberPrecision: 2 },
		description: 'How long to wait for a job, retries included, before On Timeout applies',
		displayOptions: whenWaiting,
	},
	{
		displayName: 'On Timeout',
		name: 'onTimeout',
		type: 'options',
		default: 'return',
		displayOptions: whenWaiting,
		options: [
			{
				name: 'Return the Unfinished Task',
				value: 'return',
				description: 'Output the task with its ID and last status, to retrieve later',
			},
			{
				name: 'Raise an Error',
				value: 'error',
				description: 'Fail the item; the error names the task ID',
			},
		],
	},
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollInterval',
		type: 'number',
		default: 10,
		typeOptions: { minValue: 1, maxValue: 3600 },
		description: 'How often to ask CometAPI about the job',
		displayOptions: whenWaiting,
	},
];
