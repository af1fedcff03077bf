import FormData from 'form-data';
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { Frame } from '../../helpers/frames';
import { appendFrames, readFrame } from '../../helpers/frames';
import type { Job, JobResult } from '../../helpers/jobs';
import type { WaitSettings } from '../../helpers/lifecycle';
import { finishJob } from '../../helpers/lifecycle';
import { createTask } from '../../helpers/tasks-api';
import { fieldError, readText, requireText } from '../../helpers/validation';
import { waitingFields } from './waiting.description';
import { readWaitSettings } from './waiting';

const properties: INodeProperties[] = [
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. A paper kite floats above a field at sunset, slow dolly shot',
		description: 'What the video should show',
		typeOptions: { rows: 4 },
	},
	{
		displayName: 'Model',
		name: 'model',
		type: 'resourceLocator',
		default: { mode: 'list', value: 'veo3-fast' },
		description:
			'The Veo alias. CometAPI may answer with the provider model it resolved the alias to.',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchModels', searchable: true },
			},
			{
				displayName: 'By Alias',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. veo3.1-fast',
			},
		],
	},
	{
		displayName: 'Size',
		name: 'size',
		type: 'options',
		default: '16x9',
		description: 'Orientation or pixel size of the video',
		options: [
			{ name: 'Landscape 1280x720', value: '1280x720' },
			{ name: 'Landscape 16:9', value: '16x9' },
			{ name: 'Landscape 1920x1080', value: '1920x1080' },
			{ name: 'Landscape 3840x2160 (4K)', value: '3840x2160' },
			{ name: 'Portrait 720x1280', value: '720x1280' },
			{ name: 'Portrait 9:16', value: '9x16' },
		],
	},
	{
		displayName: 'Seconds',
		name: 'seconds',
		type: 'options',
		default: '',
		description: 'Length of the video. Sent only when set; not every alias accepts it.',
		options: [
			{ name: 'Model Default', value: '' },
			{ name: '4 Seconds', value: '4' },
			{ name: '6 Seconds', value: '6' },
			{ name: '8 Seconds', value: '8' },
		],
	},
	{
		displayName: 'Image Frames',
		name: 'frames',
		type: 'options',
		default: 'none',
		description: 'Images from the input item that guide the video',
		options: [
			{ name: 'None (Text to Video)', value: 'none' },
			{ name: 'One Image (Image to Video)', value: 'single' },
			{ name: 'First and Last Frame', value: 'firstLast' },
		],
	},
	{
		displayName: 'Image Binary Property',
		name: 'imageBinaryProperty',
		type: 'string',
		default: 'data',
		required: true,
		description: 'Name of the binary property of the input item that holds the image',
		displayOptions: { show: { frames: ['single'] } },
	},
	{
		displayName: 'First Frame Binary Property',
		name: 'firstFrameBinaryProperty',
		type: 'string',
		default: 'firstFrame',
		required: true,
		description: 'Name of the binary property that holds the first frame',
		displayOptions: { show: { frames: ['firstLast'] } },
	},
	{
		displayName: 'Last Frame Binary Property',
		name: 'lastFrameBinaryProperty',
		type: 'string',
		default: 'lastFrame',
		required: true,
		description: 'Name of the binary property that holds the last frame',
		displayOptions: { show: { frames: ['firstLast'] } },
	},
	...waitingFields(true),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['video'], operation: ['create'] } },
	properties,
);

export interface CreatePlan {
	prompt: string;
	model: string;
	size: string;
	seconds: string;
	frames: Frame[];
	settings: WaitSettings;
}

/** Reads and checks one item's parameters and frames; sends nothing. */
export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<CreatePlan> {
	// n8n fills in each field's default from the description above.
	const parameter = (name: string) => this.getNodeParameter(name, itemIndex);
	const prompt = requireText(
		this,
		itemIndex,
		parameter('prompt'),
		'Prompt',
		'Describe the video to generate.',
	);
	const model = requireText(
		this,
		itemIndex,
		this.getNodeParameter('model', itemIndex, undefined, { extractValue: true }),
		'Model',
		'Pick a Veo alias from the list or type one, e.g. veo3-fast.',
	);
	const size = readText(this, itemIndex, parameter('size'), 'Size');
	const seconds = readText(this, itemIndex, parameter('seconds'), 'Seconds');
	// Checked by form only, so sizes and lengths CometAPI adds later still go through.
	if (size && !/^\d{1,5}x\d{1,5}$/.test(size)) {
		throw fieldError(
			this,
			itemIndex,
			'Size',
			`is not a size like 16x9 or 1280x720: ${JSON.stringify(size.slice(0, 40))}`,
		);
	}
	if (seconds && !/^[1-9]\d{0,2}$/.test(seconds)) {
		throw fieldError(
			this,
			itemIndex,
			'Seconds',
			`is not a whole number of seconds: ${JSON.stringify(seconds.slice(0, 40))}`,
		);
	}

	const frames: Frame[] = [];
	const mode = parameter('frames');
	if (mode === 'single') {
		frames.push(
			await readFrame.call(
				this,
				itemIndex,
				parameter('imageBinaryProperty'),
				'Image Binary Property',
			),
		);
	} else if (mode === 'firstLast') {
		frames.push(
			await readFrame.call(
				this,
				itemIndex,
				parameter('firstFrameBinaryProperty'),
				'First Frame Binary Property',
			),
		);
		frames.push(
			await readFrame.call(
				this,
				itemIndex,
				parameter('lastFrameBinaryProperty'),
				'Last Frame Binary Property',
			),
		);
	} else if (mode !== 'none') {
		throw fieldError(
			this,
			itemIndex,
			'Image Frames',
			`must be one of none, single, firstLast, not ${JSON.stringify(mode)}`,
		);
	}
	const settings = readWaitSettings.call(this, itemIndex);
	return { prompt, model, size, seconds, frames, settings };
}

export async function execute(
	this: IExecuteFunctions,
	plan: CreatePlan,
	job: Job,
): Promise<JobResult> {
	// A new form each attempt: frame streams are used up by sending them.
	const buildForm = async (): Promise<FormData> => {
		const form = new FormData();
		form.append('prompt', plan.prompt);
		form.append('model', plan.model);
		if (plan.size) form.append('size', plan.size);
		if (plan.seconds) form.append('seconds', plan.seconds);
		await appendFrames.call(this, form, plan.frames);
		return form;
	};
	const task = await createTask.call(this, job, buildForm);
	this.logger.info(`CometAPI accepted video job ${task.id} for item ${job.itemIndex}`);
	return await finishJob.call(this, job, task, plan.settings);
}
