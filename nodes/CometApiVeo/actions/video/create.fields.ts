import type { INodeProperties } from 'n8n-workflow';

import { runFields } from '../../engine/run-options.fields';
import { frameFields } from '../../media/frames/fields';
import { additionalFields } from './additional-fields';

/** Create's fields, in the order the editor shows them. */
export const createFields: INodeProperties[] = [
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
		displayName:
			'CometAPI lists 1920x1080 and 3840x2160 for landscape with the veo3.1 models; other aliases may answer at their own size. The request is sent as set.',
		name: 'largeSizeNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { size: ['1920x1080', '3840x2160'] } },
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
		displayName:
			"Some aliases ignore Seconds and make 8-second clips (CometAPI's pages disagree on which). The request is sent as set.",
		name: 'secondsNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { seconds: ['4', '6', '8'] } },
	},
	...frameFields,
	{
		displayName: 'Videos per Prompt',
		name: 'videosPerPrompt',
		type: 'number',
		default: 1,
		typeOptions: { minValue: 1, maxValue: 4, numberPrecision: 0 },
		description:
			'How many videos to make of each item, each its own job (and bill). Each video is an output item with its variant number.',
	},
	additionalFields,
	...runFields('create'),
];

/** Shown in the editor when the model and the frames do not go together; nothing is refused. */
export const hints = [
	{
		message:
			'The veo3-frames alias expects a first and a last frame: set Image Frames to First and Last Frame.',
		type: 'info' as const,
		location: 'ndv' as const,
		whenToDisplay: 'always' as const,
		displayCondition:
			'={{ $parameter["operation"] === "create" && ($parameter["model"]?.value ?? $parameter["model"]) === "veo3-frames" && $parameter["frames"] !== "firstLast" }}',
	},
];
