import type { INodeProperties } from 'n8n-workflow';

const sourceOptions = [
	{ name: 'Binary Property', value: 'binary', description: 'A file of the input item' },
	{
		name: 'URL',
		value: 'url',
		description: 'An image URL, fetched by the node without credentials',
	},
];

/**
 * Create's image frames: none, one image, or a first and a last frame; each from a binary
 * property of the item or an image URL.
 */
export const frameFields: INodeProperties[] = [
	{
		displayName: 'Image Frames',
		name: 'frames',
		type: 'options',
		default: 'none',
		description: 'Images that guide the video',
		options: [
			{ name: 'None (Text to Video)', value: 'none' },
			{ name: 'One Image (Image to Video)', value: 'single' },
			{ name: 'First and Last Frame', value: 'firstLast' },
		],
	},
	{
		displayName: 'Image Source',
		name: 'imageSource',
		type: 'options',
		default: 'binary',
		options: sourceOptions,
		displayOptions: { show: { frames: ['single'] } },
	},
	{
		displayName: 'Image Binary Property',
		name: 'imageBinaryProperty',
		type: 'string',
		default: 'data',
		required: true,
		description: 'Name of the binary property of the input item that holds the image',
		displayOptions: { show: { frames: ['single'], imageSource: ['binary'] } },
	},
	{
		displayName: 'Image URL',
		name: 'imageUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://example.com/product.png',
		description: 'The http(s) URL of a PNG, JPEG or WebP image',
		displayOptions: { show: { frames: ['single'], imageSource: ['url'] } },
	},
	{
		displayName: 'First Frame Source',
		name: 'firstFrameSource',
		type: 'options',
		default: 'binary',
		options: sourceOptions,
		displayOptions: { show: { frames: ['firstLast'] } },
	},
	{
		displayName: 'First Frame Binary Property',
		name: 'firstFrameBinaryProperty',
		type: 'string',
		default: 'firstFrame',
		required: true,
		description: 'Name of the binary property that holds the first frame',
		displayOptions: { show: { frames: ['firstLast'], firstFrameSource: ['binary'] } },
	},
	{
		displayName: 'First Frame URL',
		name: 'firstFrameUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://example.com/start.png',
		description: 'The http(s) URL of the first frame, a PNG, JPEG or WebP image',
		displayOptions: { show: { frames: ['firstLast'], firstFrameSource: ['url'] } },
	},
	{
		displayName: 'Last Frame Source',
		name: 'lastFrameSource',
		type: 'options',
		default: 'binary',
		options: sourceOptions,
		displayOptions: { show: { frames: ['firstLast'] } },
	},
	{
		displayName: 'Last Frame Binary Property',
		name: 'lastFrameBinaryProperty',
		type: 'string',
		default: 'lastFrame',
		required: true,
		description: 'Name of the binary property that holds the last frame',
		displayOptions: { show: { frames: ['firstLast'], lastFrameSource: ['binary'] } },
	},
	{
		displayName: 'Last Frame URL',
		name: 'lastFrameUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://example.com/end.png',
		description: 'The http(s) URL of the last frame, a PNG, JPEG or WebP image',
		displayOptions: { show: { frames: ['firstLast'], lastFrameSource: ['url'] } },
	},
];
