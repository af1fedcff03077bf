import type FormData from 'form-data';
import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';
import { BINARY_ENCODING } from 'n8n-workflow';

import type { BinaryStream } from '../transport/body';
import { readCappedBytes } from '../transport/body';
import { declaredLength, openUrl, statusError, UrlFetchError } from '../transport/open-url';
import { withRetries } from '../transport/retry';
import type { Scope } from '../transport/runtime';
import { isHttpUrl, safeUrl } from '../transport/urls';
import type { TransferFailure } from './transfer-guard';
import { guardTransfer } from './transfer-guard';
import { fieldError, readText, typeName } from './validation';

/** The largest image the node sends as a frame, from a binary property or a URL. */
export const MAX_FRAME_BYTES = 20 * 1024 * 1024;

/** How long fetching one image URL may take, per attempt. */
const MAX_FRAME_FETCH_MS = 120_000;

/**
 * Where a frame comes from: a binary property, checked while items are checked; or an image
 * URL, fetched when its item's job runs, just before its create.
 */
export type FrameSource =
	| { kind: 'binary'; frame: Frame }
	| { kind: 'url'; url: string; field: string; fileName: string };

/** One image frame of an item, checked before it is sent. */
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
	let storedSize: number | undefined;
	if (binary.id) {
		try {
			storedSize = (await this.helpers.getBinaryMetadata(binary.id)).fileSize;
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
	const size = storedSize ?? Buffer.byteLength(binary.data ?? '', BINARY_ENCODING);
	const problem = (what: string) =>
		fieldError(this, itemIndex, fieldLabel, `: binary property "${property}" ${what}`);
	if (size === 0) throw problem('is empty');
	if (size > MAX_FRAME_BYTES) throw problem(`is larger than ${MAX_FRAME_BYTES / 1024 / 1024} MB`);
	// The declared type vouched for an image; its first bytes must too, as for a URL frame.
	const sniffed = sniffImage(await headOf(this, binary));
	if (!sniffed)
		throw problem(`is not a PNG, JPEG or WebP image by its content (declared ${mimeType})`);
	return { binary, fileName, mimeType: sniffed, storedSize };
}

/** An image URL field: an http(s) URL, checked while items are checked; fetched later. */
export function readFrameUrl(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	fieldLabel: string,
): FrameSource {
	const url = readText(ctx, itemIndex, value, fieldLabel);
	if (!url)
		throw fieldError(
			ctx,
			itemIndex,
			fieldLabel,
			'is empty',
			'Give the http(s) URL of a PNG, JPEG or WebP image.',
		);
	if (!isHttpUrl(url)) {
		throw fieldError(
			ctx,
			itemIndex,
			fieldLabel,
			`is not an http(s) URL: ${JSON.stringify(safeUrl(url).slice(0, 100))}`,
		);
	}
	const lastSegment = new URL(url).pathname.split('/').pop() ?? '';
	let fileName = lastSegment;
	try {
		fileName = decodeURIComponent(lastSegment);
	} catch {
		// A malformed escape (%zz): the name as it is.
	}
	return { kind: 'url', url, field: fieldLabel, fileName: fileName || 'frame' };
}

// What an image's first bytes look like; the node trusts these, not a declared type.
function sniffImage(head: Buffer): string | undefined {
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

async function headOf(ctx: IExecuteFunctions, binary: IBinaryData): Promise<Buffer> {
	if (!binary.id) return Buffer.from(binary.data, BINARY_ENCODING).subarray(0, 16);
	return (await readCappedBytes(await ctx.helpers.getBinaryStream(binary.id), 16)).bytes;
}

/**
 * Fetches an image URL without any credential (redirects by hand, the CometAPI key on no hop)
 * and streams it into n8n's binary store, then checks it like a binary frame: not empty, not
 * over MAX_FRAME_BYTES, and an image by its first bytes. Only bytes that pass leave for
 * CometAPI. A failure names the item, the field and the URL without its query string.
 */
export async function fetchFrame(
	this: IExecuteFunctions,
	scope: Scope,
	source: FrameSource,
): Promise<Frame> {
	if (source.kind === 'binary') return source.frame;
	const { fileName } = source;
	const outcome = await withRetries<Frame, TransferFailure>(scope, 'read', async () => {
		const attempt = new AbortController();
		const guard = guardTransfer(scope, attempt, {
			maxMs: MAX_FRAME_FETCH_MS,
			maxBytes: MAX_FRAME_BYTES,
		});
		try {
			const opened = await openUrl.call(
				this,
				scope,
				AbortSignal.any([scope.signal, attempt.signal]),
				source.url,
				{
					keyOnApiHost: false,
				},
			);
			if (opened.status < 200 || opened.status >= 300) throw await statusError(opened);
			const length = declaredLength(opened);
			if (length !== undefined && length > MAX_FRAME_BYTES) {
				throw new UrlFetchError(
					`it is larger than ${MAX_FRAME_BYTES / 1024 / 1024} MB`,
					opened.url,
					200,
					undefined,
					false,
				);
			}
			const stream = opened.response.body as NodeJS.ReadableStream;
			guard.watch(stream);
			const binary = await this.helpers.prepareBinaryData(
				stream as BinaryStream,
				fileName,
				opened.contentType || undefined,
			);
			// Counted by the node, not read from the store: n8n 1.x's store answers without a size.
			const size = guard.received();
			if (size === 0) return { failure: { message: 'the answer was empty', final: true } };
			const mimeType = sniffImage(await headOf(this, binary));
			if (!mimeType) {
				const declared = opened.contentType || 'no content type';
				return {
					failure: {
						message: `the answer (${declared}) is not a PNG, JPEG or WebP image`,
						final: true,
					},
				};
			}
			const storedSize = binary.id ? size : undefined;
			return { value: { binary: { ...binary, mimeType }, fileName, mimeType, storedSize } };
		} catch (error) {
			return { failure: guard.failureOf(error) };
		} finally {
			guard.stop();
		}
	});
	if ('value' in outcome) return outcome.value;
	throw fieldError(
		this,
		scope.itemIndex,
		source.field,
		`: the image at ${safeUrl(source.url)} could not be used: ${outcome.failure.message}`,
		'Nothing was sent to CometAPI for this item, so nothing was billed. The URL is fetched from the n8n host, without credentials.',
	);
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
