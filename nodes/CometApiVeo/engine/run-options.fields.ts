import type { INodeProperties } from 'n8n-workflow';

/**
 * How Create and Retrieve hand back a job (Wait for Completion, Output) and the node's Options
 * collection: how many jobs run at once, the spend limit, how long to wait, where the video
 * goes. The Options are node-wide where they bound the batch (Max Concurrent Jobs, Max
 * Estimated Spend: read from the first item) and per item otherwise. Their defaults and bounds
 * are the constants below, which the fields show and run-options.ts applies (n8n fills the
 * defaults of top-level fields itself, not of a collection's). Upper bounds keep every wait far
 * below the 24.8 days past which a timer fires at once.
 */
/** The Options' defaults: what an option not set means. */
export const DEFAULT_MAX_CONCURRENT_JOBS = 5;
export const DEFAULT_MAX_DOWNLOAD_MINUTES = 30;
export const DEFAULT_MAX_WAIT_MINUTES = 15;
export const DEFAULT_POLL_INTERVAL_SECONDS = 10;
export const DEFAULT_BINARY_PROPERTY = 'data';
export const DEFAULT_FILE_NAME = '';
export const DEFAULT_ON_TIMEOUT = 'return';
/** Shown in the editor; not set means no limit. */
export const SHOWN_MAX_ESTIMATED_SPEND = 10;

export const NUMBER_OPTIONS = {
	maxConcurrentJobs: {
		label: 'Max Concurrent Jobs',
		default: DEFAULT_MAX_CONCURRENT_JOBS,
		min: 1,
		max: 100,
	},
	maxDownloadMinutes: {
		label: 'Max Download Time (Minutes)',
		default: DEFAULT_MAX_DOWNLOAD_MINUTES,
		min: 0.01,
		max: 240,
	},
	maxWaitMinutes: {
		label: 'Max Wait (Minutes)',
		default: DEFAULT_MAX_WAIT_MINUTES,
		min: 0.01,
		max: 1440,
	},
	pollInterval: {
		label: 'Poll Interval (Seconds)',
		default: DEFAULT_POLL_INTERVAL_SECONDS,
		min: 1,
		max: 3600,
	},
} as const;

export const TEXT_OPTIONS = {
	binaryPropertyName: { label: 'Binary Property', default: DEFAULT_BINARY_PROPERTY },
	fileName: { label: 'File Name', default: DEFAULT_FILE_NAME },
	onTimeout: { label: 'On Timeout', default: DEFAULT_ON_TIMEOUT },
} as const;

/** Create only. Shown with a default, but not set means no limit. */
export const SPEND_LIMIT = {
	label: 'Max Estimated Spend per Execution',
	shown: SHOWN_MAX_ESTIMATED_SPEND,
	min: 0.01,
	max: Infinity,
} as const;

const whenWaiting = { show: { '/waitForCompletion': [true] } };
const whenBinary = { show: { '/waitForCompletion': [true], '/output': ['binary'] } };

const { maxConcurrentJobs, maxDownloadMinutes, maxWaitMinutes, pollInterval } = NUMBER_OPTIONS;
const { binaryPropertyName, fileName, onTimeout } = TEXT_OPTIONS;

const runOptions: INodeProperties[] = [
	{
		displayName: binaryPropertyName.label,
		name: 'binaryPropertyName',
		type: 'string',
		default: DEFAULT_BINARY_PROPERTY,
		description: 'Name of the output binary property that receives the video',
		displayOptions: whenBinary,
	},
	{
		displayName: fileName.label,
		name: 'fileName',
		type: 'string',
		default: DEFAULT_FILE_NAME,
		placeholder: 'e.g. kite-at-sunset.mp4',
		description: 'File name of the video. Empty: the task ID with .mp4.',
		displayOptions: whenBinary,
	},
	{
		displayName: maxConcurrentJobs.label,
		name: 'maxConcurrentJobs',
		type: 'number',
		default: DEFAULT_MAX_CONCURRENT_JOBS,
		typeOptions: {
			minValue: maxConcurrentJobs.min,
			maxValue: maxConcurrentJobs.max,
			numberPrecision: 0,
		},
		description: 'How many items run at the same time. Lower it if CometAPI answers 429.',
	},
	{
		displayName: maxDownloadMinutes.label,
		name: 'maxDownloadMinutes',
		type: 'number',
		default: DEFAULT_MAX_DOWNLOAD_MINUTES,
		typeOptions: {
			minValue: maxDownloadMinutes.min,
			maxValue: maxDownloadMinutes.max,
			numberPrecision: 2,
		},
		description:
			'How long one download of the video may take before it is tried again. Raise it for 4K videos on a slow link.',
		displayOptions: whenBinary,
	},
	{
		displayName: maxWaitMinutes.label,
		name: 'maxWaitMinutes',
		type: 'number',
		default: DEFAULT_MAX_WAIT_MINUTES,
		typeOptions: {
			minValue: maxWaitMinutes.min,
			maxValue: maxWaitMinutes.max,
			numberPrecision: 2,
		},
		description: 'How long to wait for a job, retries included, before On Timeout applies',
		displayOptions: whenWaiting,
	},
	{
		displayName: onTimeout.label,
		name: 'onTimeout',
		type: 'options',
		default: DEFAULT_ON_TIMEOUT,
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
		displayName: pollInterval.label,
		name: 'pollInterval',
		type: 'number',
		default: DEFAULT_POLL_INTERVAL_SECONDS,
		typeOptions: { minValue: pollInterval.min, maxValue: pollInterval.max },
		description: 'How often to ask CometAPI about the job',
		displayOptions: whenWaiting,
	},
];

const maxEstimatedSpend: INodeProperties = {
	displayName: SPEND_LIMIT.label,
	name: 'maxEstimatedSpend',
	type: 'number',
	default: SHOWN_MAX_ESTIMATED_SPEND,
	typeOptions: { minValue: SPEND_LIMIT.min, numberPrecision: 2 },
	description:
		"In the catalogue's currency (USD). Bounds the estimated cost of every video this node creates in one execution, over all its runs (a loop, several input batches, each tool call of an AI Agent). Before any create of a run, the node adds the estimate of every video of every item to what earlier runs of this execution used, and sends nothing when the sum is over this. A new execution starts again from 0. Not set: no limit.",
};

const waitForCompletion: INodeProperties = {
	displayName: 'Wait for Completion',
	name: 'waitForCompletion',
	type: 'boolean',
	default: false,
	description:
		'Whether to poll the job until it finishes and hand back the video. Off: output the task as it is now.',
};

/**
 * Wait for Completion, Output and Options, for one operation. Create waits by default (prompt
 * in, video out) and has the spend limit; Retrieve does not wait, so a workflow can check on a
 * job created earlier.
 */
export function runFields(operation: 'create' | 'retrieve'): INodeProperties[] {
	const create = operation === 'create';
	const options = create ? [...runOptions, maxEstimatedSpend] : [...runOptions];
	return [
		create ? { ...waitForCompletion, default: true } : waitForCompletion,
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
			options: options.sort((a, b) => a.displayName.localeCompare(b.displayName)),
		},
	];
}
