import FormData from 'form-data';
import type { IExecuteFunctions } from 'n8n-workflow';

import { fieldError } from '../../failures';
import { readText, requireText } from '../../helpers/parameters';
import type { Frame } from '../../media/frames/image';
import { appendFrames, FRAME_PART } from '../../media/frames/parts';

/** How a part's value is read from one item's parameters; the reads come before the checks. */
interface PartReader {
	read(ctx: IExecuteFunctions, itemIndex: number): string;
	/** A check of the value read, by form only, so values CometAPI adds later still go through. */
	check?(ctx: IExecuteFunctions, itemIndex: number, value: string): void;
}

/**
 * The text parts of a create, in the order they are sent; an empty value is not sent. A new
 * Create field that CometAPI takes as text is one line here (and its field in create.fields.ts).
 * The part's name is also its name in the item's plan.
 */
const TEXT_PARTS = {
	prompt: {
		read: (ctx, itemIndex) =>
			requireText(
				ctx,
				itemIndex,
				ctx.getNodeParameter('prompt', itemIndex),
				'Prompt',
				'Describe the video to generate.',
			),
	},
	model: {
		read: (ctx, itemIndex) =>
			requireText(
				ctx,
				itemIndex,
				ctx.getNodeParameter('model', itemIndex, undefined, { extractValue: true }),
				'Model',
				'Pick a Veo alias from the list or type one, e.g. veo3-fast.',
			),
	},
	size: {
		read: (ctx, itemIndex) =>
			readText(ctx, itemIndex, ctx.getNodeParameter('size', itemIndex), 'Size'),
		check(ctx, itemIndex, size) {
			if (size && !/^\d{1,5}x\d{1,5}$/.test(size)) {
				throw fieldError(
					ctx,
					itemIndex,
					'Size',
					`is not a size like 16x9 or 1280x720: ${JSON.stringify(size.slice(0, 40))}`,
				);
			}
		},
	},
	seconds: {
		read: (ctx, itemIndex) =>
			readText(ctx, itemIndex, ctx.getNodeParameter('seconds', itemIndex), 'Seconds'),
		check(ctx, itemIndex, seconds) {
			if (seconds && !/^[1-9]\d{0,2}$/.test(seconds)) {
				throw fieldError(
					ctx,
					itemIndex,
					'Seconds',
					`is not a whole number of seconds: ${JSON.stringify(seconds.slice(0, 40))}`,
				);
			}
		},
	},
} satisfies Record<string, PartReader>;

export type TextParts = Record<keyof typeof TEXT_PARTS, string>;

/** The part names the node sends itself: Additional Fields may not send them a second time. */
export const OWN_PARTS = [...Object.keys(TEXT_PARTS), FRAME_PART];

/** Reads and checks one item's text parts; sends nothing. */
export function readTextParts(ctx: IExecuteFunctions, itemIndex: number): TextParts {
	const readers: Record<string, PartReader> = TEXT_PARTS;
	const names = Object.keys(TEXT_PARTS) as Array<keyof TextParts>;
	const parts = Object.fromEntries(
		names.map((name) => [name, readers[name].read(ctx, itemIndex)]),
	) as TextParts;
	for (const name of names) readers[name].check?.(ctx, itemIndex, parts[name]);
	return parts;
}

/** The create's form: the text parts, the Additional Fields, then the frames. */
export async function buildForm(
	this: IExecuteFunctions,
	plan: TextParts & { extraFields: Array<[string, string]> },
	frames: Frame[],
): Promise<FormData> {
	const form = new FormData();
	for (const name of Object.keys(TEXT_PARTS) as Array<keyof TextParts>)
		if (plan[name]) form.append(name, plan[name]);
	for (const [name, value] of plan.extraFields) form.append(name, value);
	await appendFrames.call(this, form, frames);
	return form;
}
