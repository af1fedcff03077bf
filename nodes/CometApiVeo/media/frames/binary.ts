import type FormData from 'form-data';
import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';
import { BINARY_ENCODING } from 'n8n-workflow';

import type { BinaryStream } from '../../transport/body';
import { readCappedBytes } from '../../transport/body';
import {
	declaredLength,
	openUrl,
	shownContentType,
	statusError,
	UrlFetchError,
} from '../../transport/open-url';
import type { AttemptResult } from '../../transport/retry';
import { DeadlineReached, withRetries } from '../../transport/retry';
import type { Scope } from '../../transport/runtime';
import { isHttpUrl, safeUrl } from '../../transport/urls';
import type { TransferFailure } from '../transfer-guard';
import { guardTransfer } from '../transfer-guard';
import { fieldError } from '../../failures';
import { readText, typeName } from '../../helpers/parameters';

/** The largest image the node sends as a frame, from a binary property or a URL. */
export const MAX_FRAME_BYTES = 20 * 1024 * 1024;

/**
 * Where a frame comes from: a binary property, checked while items are checked; or an image
 * URL, fetched when its item's job runs, just before its create.
 */
export type FrameSource =
	| { kind: 'binary'; frame: Frame }
	| { kind: 'url'; url: string; field: string };

/** What a fetched image is called in n8n's binary store (parts are named by appendFrames). */
const FETCHED_FRAME_NAME = 'frame';

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
			`: the item has no ${subject}`,
			`${(error as Error).message}. Binary data on this item: ${present}.`,
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
			`: ${subject} ${what} (${declared})`,
			'Veo takes PNG, JPEG or WebP images as frames.',
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
				`: the file of ${subject} is no longer in n8n's binary store`,
				'Run the node that produced the image again.',
			);
		}
	}
	const size = storedSize ?? Buffer.byteLength(binary.data ?? '', BINARY_ENCODING);
	const problem = (what: string) => fieldError(this, itemIndex, fieldLabel, `: ${subject} ${what}`);
	if (size === 0) throw problem('is empty');
	if (size > MAX_FRAME_BYTES) throw problem(`is larger than ${MAX_FRAME_BYTES / 1024 / 1024} MB`);
	// The declared type vouched for an image; its first bytes must too, as for a URL frame.
	const sniffed = sniffImage(await headOf(this, binary));
	if (!sniffed)
		throw problem(`is not a PNG, JPEG or WebP image by its content (declared ${mimeType})`);
	return { binary, mimeType: sniffed, storedSize };
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
	return { kind: 'url', url, field: fieldLabel };
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
	// One bound for the whole fetch (runtime.limits.imageFetchMs: MAX_IMAGE_FETCH_MS as shipped).
	const boundMs = scope.runtime.limits.imageFetchMs;
	const tooSlow = `the image took longer than ${boundMs / 1000} s to arrive`;
	const deadline = scope.runtime.clock.now() + boundMs;
	const fetchOnce = async (): Promise<AttemptResult<Frame, TransferFailure>> => {
		const attempt = new AbortController();
		// Each attempt gets what is left of the whole fetch's time.
		const guard = guardTransfer(scope, attempt, {
			maxMs: Math.max(1, deadline - scope.runtime.clock.now()),
			maxBytes: MAX_FRAME_BYTES,
			tooSlow,
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
				// The node's own name: nothing of the URL, which anyone may have written.
				FETCHED_FRAME_NAME,
				opened.contentType || undefined,
			);
			// Counted by the node, not read from the store: n8n 1.x's store answers without a size.
			const size = guard.received();
			if (size === 0) return { failure: { message: 'the answer was empty', final: true } };
			const mimeType = sniffImage(await headOf(this, binary));
			if (!mimeType) {
				const declared = shownContentType(opened);
				return {
					failure: {
						message: `the answer (${declared}) is not a PNG, JPEG or WebP image`,
						final: true,
					},
				};
			}
			const storedSize = binary.id ? size : undefined;
			return { value: { binary: { ...binary, mimeType }, mimeType, storedSize } };
		} catch (error) {
			return { failure: guard.failureOf(error) };
		} finally {
			guard.stop();
		}
	};
	// Past the deadline no attempt is left: the bound, and what the last one met if it differs.
	const outcome = await withRetries(scope, 'read', fetchOnce, deadline).catch((error: unknown) => {
		if (!(error instanceof DeadlineReached)) return Promise.reject(error);
		const last = (error.lastFailure as TransferFailure).message;
		return {
			failure: { message: last === tooSlow ? tooSlow : `${tooSlow} (the last attempt: ${last})` },
		};
	});
	if ('value' in outcome) return outcome.value;
	const failure = outcome.failure.message;
	throw fieldError(
		this,
		scope.itemIndex,
		source.field,
		`: the image at ${safeUrl(source.url)} could not be used: ${failure}`,
		'Nothing was sent to CometAPI for this item, so nothing was billed. The URL is fetched from the n8n host, without credentials.',
	);
}

/** The extension of a supported image type: png, jpg or webp. */
function extensionFor(mimeType: string): string {
	return Object.keys(IMAGE_EXTENSIONS).find((key) => IMAGE_EXTENSIONS[key] === mimeType) ?? 'png';
}

/**
 * Adds the frames as `input_reference` parts, in order, each named by the node: frame-1.png,
 * frame-2.jpg (position and sniffed type). A file name goes into the part's header, which the
 * host n8n's form-data writes (1.x's unescaped): no upstream file name or URL path gets there.
 * Frames held on disk by n8n's binary store are streamed from there; only inline (base64)
 * frames are decoded into memory.
 */
export async function appendFrames(
	this: IExecuteFunctions,
	form: FormData,
	frames: Frame[],
): Promise<void> {
	for (const [index, frame] of frames.entries()) {
		const filename = `frame-${index + 1}.${extensionFor(frame.mimeType)}`;
		const options = { filename, contentType: frame.mimeType };
		if (frame.binary.id) {
			const stream = await this.helpers.getBinaryStream(frame.binary.id);
			form.append('input_reference', stream, { ...options, knownLength: frame.storedSize });
		} else {
			form.append('input_reference', Buffer.from(frame.binary.data, BINARY_ENCODING), options);
		}
	}
}
