import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { oneOf } from '../../helpers/parameters';
import { readFrame } from './binary';
import type { FrameSource } from './image';
import { readFrameUrl } from './url';

/**
 * Create's image frames: none, one image, or a first and a last frame; each from a binary
 * property of the item or an image URL. Each slot is one row here: its fields are made from it
 * and read by it, so a slot's names and labels are written once.
 */
interface Slot {
	/** "Image": the slot's fields are "Image Source", "Image Binary Property", "Image URL". */
	label: string;
	/** The first word of its parameter names: imageSource, imageBinaryProperty, imageUrl. */
	key: string;
	defaultProperty: string;
	propertyDescription: string;
	urlPlaceholder: string;
	urlDescription: string;
}

type Mode = 'single' | 'firstLast';

const SLOTS: Record<Mode, Slot[]> = {
	single: [
		{
			label: 'Image',
			key: 'image',
			defaultProperty: 'data',
			propertyDescription: 'Name of the binary property of the input item that holds the image',
			urlPlaceholder: 'e.g. https://example.com/product.png',
			urlDescription: 'The http(s) URL of a PNG, JPEG or WebP image',
		},
	],
	firstLast: [
		{
			label: 'First Frame',
			key: 'firstFrame',
			defaultProperty: 'firstFrame',
			propertyDescription: 'Name of the binary property that holds the first frame',
			urlPlaceholder: 'e.g. https://example.com/start.png',
			urlDescription: 'The http(s) URL of the first frame, a PNG, JPEG or WebP image',
		},
		{
			label: 'Last Frame',
			key: 'lastFrame',
			defaultProperty: 'lastFrame',
			propertyDescription: 'Name of the binary property that holds the last frame',
			urlPlaceholder: 'e.g. https://example.com/end.png',
			urlDescription: 'The http(s) URL of the last frame, a PNG, JPEG or WebP image',
		},
	],
};

const names = (slot: Slot) => ({
	source: `${slot.key}Source`,
	property: `${slot.key}BinaryProperty`,
	url: `${slot.key}Url`,
});

const sourceOptions = [
	{ name: 'Binary Property', value: 'binary', description: 'A file of the input item' },
	{
		name: 'URL',
		value: 'url',
		description: 'An image URL, fetched by the node without credentials',
	},
];

function slotFields(mode: Mode, slot: Slot): INodeProperties[] {
	const { source, property, url } = names(slot);
	const defaultProperty = slot.defaultProperty;
	return [
		{
			displayName: `${slot.label} Source`,
			name: source,
			type: 'options',
			default: 'binary',
			options: sourceOptions,
			displayOptions: { show: { frames: [mode] } },
		},
		{
			displayName: `${slot.label} Binary Property`,
			name: property,
			type: 'string',
			default: defaultProperty,
			required: true,
			description: slot.propertyDescription,
			displayOptions: { show: { frames: [mode], [source]: ['binary'] } },
		},
		{
			displayName: `${slot.label} URL`,
			name: url,
			type: 'string',
			default: '',
			placeholder: slot.urlPlaceholder,
			description: slot.urlDescription,
			displayOptions: { show: { frames: [mode], [source]: ['url'] } },
		},
	];
}

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
	...(Object.keys(SLOTS) as Mode[]).flatMap((mode) =>
		SLOTS[mode].flatMap((slot) => slotFields(mode, slot)),
	),
];

/** Reads and checks one item's frames: binaries now, URLs by form (fetched when its job runs). */
export async function readFrames(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Promise<FrameSource[]> {
	const mode = oneOf(ctx, itemIndex, 'Image Frames', ctx.getNodeParameter('frames', itemIndex), [
		'none',
		'single',
		'firstLast',
	] as const);
	if (mode === 'none') return [];
	const frames: FrameSource[] = [];
	for (const slot of SLOTS[mode]) {
		const parameter = names(slot);
		const source = oneOf(
			ctx,
			itemIndex,
			`${slot.label} Source`,
			ctx.getNodeParameter(parameter.source, itemIndex),
			['binary', 'url'] as const,
		);
		if (source === 'url') {
			frames.push(
				readFrameUrl(
					ctx,
					itemIndex,
					ctx.getNodeParameter(parameter.url, itemIndex),
					`${slot.label} URL`,
				),
			);
		} else {
			const value = ctx.getNodeParameter(parameter.property, itemIndex);
			frames.push({
				kind: 'binary',
				frame: await readFrame.call(ctx, itemIndex, value, `${slot.label} Binary Property`),
			});
		}
	}
	return frames;
}
