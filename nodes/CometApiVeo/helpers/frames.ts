import type FormData from 'form-data';
import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';
import { BINARY_ENCODING } from 'n8n-workflow';

import { fieldError, typeName } from './validation';

/** One image frame of an item, checked before any request is sent. */
export interface Frame {
	binary: IBinaryData;
	fileName: string;
	mimeType: string;
	/** Size of a frame held in n8n's binary store, read while checking it. */
	storedSize?: number;
}

// The image types Veo takes as frames.
const IMAGE_EXTENSIONS: Record<string, string> = {
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	webp: 'image/webp',
};
const SUPPORTED = new Set(Object.values(IMAGE_EXTENSIONS));

function extensionOf(binary: IBinaryData): string {
	const fromName = binary.fileName?.split('.').pop();
	return (binary.fileExtension ?? fromName ?? '').toLowerCase();
}

/** Files fetched without a content type arrive as application/octet-stream: the extension may vouch. */
function imageTypeOf(binary: IBinaryData): string | undefined {
	const declared = (binary.mimeType ?? '')
		.toLowerCase()
		.split(';')[0]
		.trim()
		.replace('image/jpg', 'image/jpeg');
	if (SUPPORTED.has(declared)) return declared;
	if (declared === 'application/octet-stream' || declared === '')
		return IMAGE_EXTENSIONS[extensionOf(binary)];
	return undefined;
}

/**
 * Finds and checks the binary property that holds a frame. n8n's own helper does the finding,
 * so frames are found in both of n8n's binary modes (separate `binary`, or combined into the
 * json). A frame held in n8n's binary store is looked up there now, so that a missing file fails
 * before any item's create is sent.
 */
export async function readFrame(
	this: IExecuteFunctions,
	itemIndex: number,
	propertyValue: unknown,
	fieldLabel: string,
): Promise<Frame> {
	if (typeof propertyValue !== 'string') {
		throw fieldError(
			this,
			itemIndex,
			fieldLabel,
			`must be the name of a binary property, not ${typeName(propertyValue)}`,
		);
	}
	const property = propertyValue.trim();
	if (!property) {
		throw fieldError(
			this,
			itemIndex,
			fieldLabel,
			'is empty',
			'Name the binary property of the input item that holds the image, e.g. data.',
		);
	}
	let binary: IBinaryData;
	try {
		binary = this.helpers.assertBinaryData(itemIndex, property);
	} catch (error) {
		const present = Object.keys(this.getInputData()[itemIndex]?.binary ?? {}).join(', ') || 'none';
		throw fieldError(
			this,
			itemIndex,
			fieldLabel,
			`: the item has no binary property "${property}"`,
			`${(error as Error).message}. Binary properties on this item: ${present}.`,
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
			`: binary property "${property}" ${what} (${declared})`,
			'Veo takes PNG, JPEG or WebP images as frames.',
		);
	}
	const extension = Object.keys(IMAGE_EXTENSIONS).find((key) => IMAGE_EXTENSIONS[key] === mimeType);
	const fileName = binary.fileName || `${property}.${extension ?? 'png'}`;
	if (!binary.id) return { binary, fileName, mimeType };
	try {
		const { fileSize } = await this.helpers.getBinaryMetadata(binary.id);
		return { binary, fileName, mimeType, storedSize: fileSize };
	} catch {
		throw fieldError(
			this,
			itemIndex,
			fieldLabel,
			`: the file of binary property "${property}" is no longer in n8n's binary store`,
			'Run the node that produced the image again.',
		);
	}
}

/**
 * Adds the frames as `input_reference` parts, in order. Frames held on disk by n8n's binary
 * store are streamed from there; only inline (base64) frames are decoded into memory.
 */
export async function appendFrames(
	this: IExecuteFunctions,
	form: FormData,
	frames: Frame[],
): Promise<void> {
	for (const frame of frames) {
		const options = { filename: frame.fileName, contentType: frame.mimeType };
		if (frame.binary.id) {
			const stream = await this.helpers.getBinaryStream(frame.binary.id);
			form.append('input_reference', stream, { ...options, knownLength: frame.storedSize });
		} else {
			form.append('input_reference', Buffer.from(frame.binary.data, BINARY_ENCODING), options);
		}
	}
}
