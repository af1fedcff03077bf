import type { INodeParameters } from 'n8n-workflow';

/** The smallest Create: text to video, prompt "x", not waiting for the video. */
export const createOnly = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'video',
	operation: 'create',
	prompt: 'x',
	waitForCompletion: false,
	...extra,
});

/** Create from one image fetched from `imageUrl`, not waiting for the video. */
export const createFromImageUrl = (
	imageUrl: string,
	extra: INodeParameters = {},
): INodeParameters => createOnly({ frames: 'single', imageSource: 'url', imageUrl, ...extra });
