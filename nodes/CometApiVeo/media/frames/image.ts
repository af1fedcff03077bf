import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';
import { BINARY_ENCODING } from 'n8n-workflow';

import { readCappedBytes } from '../../transport/body';

/** The largest image the node sends as a frame, from a binary property or a URL. */
export const MAX_FRAME_BYTES = 20 * 1024 * 1024;

/**
 * Where a frame comes from: a binary property, checked while items are checked; or an image
 * URL, fetched when its item's job runs, just before its create.
 */
export type FrameSource =
	| { kind: 'binary'; frame: Frame }
	| { kind: 'url'; url: string; field: string };

/** One image frame of an item, checked before it is sent. */
export interface Frame {
	binary: IBinaryData;
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
export function imageTypeOf(binary: IBinaryData): string | undefined {
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

// What an image's first bytes look like; the node trusts these, not a declared type.
export function sniffImage(head: Buffer): string | undefined {
	if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
		return 'image/png';
	if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
	if (
		head.subarray(0, 4).toString('latin1') === 'RIFF' &&
		head.subarray(8, 12).toString('latin1') === 'WEBP'
	) {
		return 'image/webp';
	}
	return undefined;
}

export async function headOf(ctx: IExecuteFunctions, binary: IBinaryData): Promise<Buffer> {
	if (!binary.id) return Buffer.from(binary.data, BINARY_ENCODING).subarray(0, 16);
	return (await readCappedBytes(await ctx.helpers.getBinaryStream(binary.id), 16)).bytes;
}

/** The extension of a supported image type: png, jpg or webp. */
export function extensionFor(mimeType: string): string {
	return Object.keys(IMAGE_EXTENSIONS).find((key) => IMAGE_EXTENSIONS[key] === mimeType) ?? 'png';
}
