import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';
import { BINARY_ENCODING } from 'n8n-workflow';

import { fieldError } from '../../failures';
import { typeName } from '../../helpers/parameters';
import type { Frame } from './image';
import { headOf, imageTypeOf, MAX_FRAME_BYTES, sniffImage } from './image';

/** n8n's own test for a binary object (n8n-workflow's isBinaryValue, which 1.x does not export). */
function isBinaryObject(value: unknown): value is IBinaryData {
	return (
		typeof value === 'object' &&
		value !== null &&
		'mimeType' in value &&
		('data' in value || 'id' in value)
	);
}

/** Where n8n-core puts an item's binaries in the workflow setting binaryMode "combined". */
const FILES_IN_JSON = '_files';

function isCombinedMode(ctx: IExecuteFunctions): boolean {
	// getWorkflowSettings and binaryMode are 2.x; on 1.x binaries are always in `binary`.
	return ctx.getWorkflowSettings?.()?.binaryMode === 'combined';
}

/** The binaries the item has, as a user would name them in this mode: for a miss's message. */
function binaryPaths(ctx: IExecuteFunctions, itemIndex: number, combined: boolean): string[] {
	const item = ctx.getInputData()[itemIndex];
	const separate = Object.keys(item?.binary ?? {});
	if (!combined) return separate;
	const files = item?.json?.[FILES_IN_JSON];
	const inJson =
		typeof files === 'object' && files !== null
			? Object.entries(files)
					.filter(([, value]) => isBinaryObject(value))
					.map(([key]) => `${FILES_IN_JSON}.${key}`)
			: [];
	return [...inJson, ...separate];
}

/**
 * Finds a frame as n8n's own binary-reading nodes do, through n8n's assertBinaryData: a binary
 * property name (separate mode), a path into the item's json (combined mode, e.g. _files.data),
 * or a binary object an expression gave (e.g. {{ $json._files.data }}). In combined mode a plain
 * name is also looked up where n8n puts binaries, `_files.<name>`, and in `binary`, where n8n's
 * "default" store leaves them: so the field's default `data` works in every mode.
 */
function findBinary(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: string | IBinaryData,
	combined: boolean,
): IBinaryData {
	let firstError: unknown;
	const attempts: Array<string | IBinaryData> = [value];
	if (combined && typeof value === 'string' && !value.startsWith(`${FILES_IN_JSON}.`)) {
		attempts.push(`${FILES_IN_JSON}.${value}`);
	}
	for (const attempt of attempts) {
		try {
			return ctx.helpers.assertBinaryData(itemIndex, attempt);
		} catch (error) {
			firstError ??= error;
		}
	}
	if (combined && typeof value === 'string') {
		const inBinary = ctx.getInputData()[itemIndex]?.binary?.[value];
		if (isBinaryObject(inBinary)) return inBinary;
	}
	throw firstError;
}

/**
 * Finds and checks the binary that holds a frame (see findBinary), in both of n8n's binary modes
 * (separate `binary`, or combined into the json). A frame held in n8n's binary store is looked
 * up there now, so that a missing file fails before any item's create is sent.
 */
export async function readFrame(
	this: IExecuteFunctions,
	itemIndex: number,
	propertyValue: unknown,
	fieldLabel: string,
): Promise<Frame> {
	if (typeof propertyValue !== 'string' && !isBinaryObject(propertyValue)) {
		throw fieldError(
			this,
			itemIndex,
			fieldLabel,
			`must be the name of a binary property, not ${typeName(propertyValue)}`,
		);
	}
	const property = typeof propertyValue === 'string' ? propertyValue.trim() : undefined;
	if (property === '') {
		throw fieldError(
			this,
			itemIndex,
			fieldLabel,
			'is empty',
			'Name the binary property of the input item that holds the image, e.g. data.',
		);
	}
	// How the messages below name the frame: by the name typed, or as the expression's binary.
	const subject =
		property === undefined ? 'the binary the expression gave' : `binary property "${property}"`;
	const combined = isCombinedMode(this);
	let binary: IBinaryData;
	try {
		binary = findBinary(this, itemIndex, property ?? (propertyValue as IBinaryData), combined);
	} catch (error) {
		const present = binaryPaths(this, itemIndex, combined).join(', ') || 'none';
		throw fieldError(
			this,
			itemIndex,
			fieldLabel,
			`the item has no ${subject}`,
			`${(error as Error).message}. Binary data on this item: ${present}.`,
			'statement',
		);
	}
	const mimeType = imageTypeOf(binary);
	if (!mimeType) {
		const declared = binary.mimeType || 'no MIME type';
		const what = declared.startsWith('image/')
			? 'is not a PNG, JPEG or WebP image'
			: 'is not an image';
		throw fieldError(
			this,
			itemIndex,
			fieldLabel,
			`${subject} ${what} (${declared})`,
			'Veo takes PNG, JPEG or WebP images as frames.',
			'statement',
		);
	}
	let storedSize: number | undefined;
	if (binary.id) {
		try {
			storedSize = (await this.helpers.getBinaryMetadata(binary.id)).fileSize;
		} catch {
			throw fieldError(
				this,
				itemIndex,
				fieldLabel,
				`the file of ${subject} is no longer in n8n's binary store`,
				'Run the node that produced the image again.',
				'statement',
			);
		}
	}
	const size = storedSize ?? Buffer.byteLength(binary.data ?? '', BINARY_ENCODING);
	const problem = (what: string) =>
		fieldError(this, itemIndex, fieldLabel, `${subject} ${what}`, undefined, 'statement');
	if (size === 0) throw problem('is empty');
	if (size > MAX_FRAME_BYTES) throw problem(`is larger than ${MAX_FRAME_BYTES / 1024 / 1024} MB`);
	// The declared type vouched for an image; its first bytes must too, as for a URL frame.
	const sniffed = sniffImage(await headOf(this, binary));
	if (!sniffed)
		throw problem(`is not a PNG, JPEG or WebP image by its content (declared ${mimeType})`);
	return { binary, mimeType: sniffed, storedSize };
}
