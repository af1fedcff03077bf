import type { IExecuteFunctions } from 'n8n-workflow';

/** Bodies the node reads itself are read to a cap: a server may answer with anything. */

/** What n8n's prepareBinaryData takes as a stream (Node's Readable, which nodes may not import). */
export type BinaryStream = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

/** CometAPI's task objects are a few hundred bytes; a megabyte is far beyond any real one. */
export const MAX_JSON_BYTES = 1024 * 1024;

/** Enough of an error page or a wrong answer to quote it. */
export const MAX_EXCERPT_BYTES = 64 * 1024;

export interface CappedBody {
	text: string;
	/** The body went on past the cap; the rest was not read. */
	truncated: boolean;
}

function isStream(body: unknown): body is NodeJS.ReadableStream & { destroy?: () => void } {
	return typeof (body as NodeJS.ReadableStream | undefined)?.pipe === 'function';
}

/** Reads at most `cap` bytes of a body, then destroys the stream so the rest is never read. */
export async function readCappedBytes(
	body: unknown,
	cap: number,
): Promise<{ bytes: Buffer; truncated: boolean }> {
	if (!isStream(body)) {
		const whole = Buffer.isBuffer(body)
			? body
			: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body ?? ''));
		return { bytes: whole.subarray(0, cap), truncated: whole.length > cap };
	}
	const chunks: Buffer[] = [];
	let size = 0;
	const iterator = (body as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
	while (size <= cap) {
		const { value, done } = await iterator.next();
		if (done) return { bytes: Buffer.concat(chunks), truncated: false };
		const buffer = Buffer.isBuffer(value) ? value : Buffer.from(value);
		chunks.push(buffer);
		size += buffer.length;
	}
	discard(body);
	return { bytes: Buffer.concat(chunks).subarray(0, cap), truncated: true };
}

/** The same, as text. */
export async function readCapped(body: unknown, cap: number): Promise<CappedBody> {
	const { bytes, truncated } = await readCappedBytes(body, cap);
	return { text: bytes.toString('utf8'), truncated };
}

/**
 * Calls `onChunk` with every chunk a reader takes from the stream, without taking any: read()
 * and flowing mode both emit 'data', so the emits are watched; a 'data' listener instead would
 * start the stream flowing before its reader is attached, and chunks would be lost.
 */
export function watchChunks(stream: NodeJS.ReadableStream, onChunk: (chunk: Buffer) => void): void {
	const emit = stream.emit.bind(stream);
	stream.emit = (event: string | symbol, ...args: unknown[]) => {
		if (event === 'data') onChunk(args[0] as Buffer);
		return emit(event, ...args);
	};
}

/** Drops a body unread (a redirect's, or the rest past a cap); its late errors go nowhere. */
export function discard(body: unknown): void {
	if (!isStream(body)) return;
	body.on('error', () => {});
	body.destroy?.();
}

/** A short, single-line quote of an answer for an error message. */
export function excerpt(text: string, length = 200): string {
	// An answer may echo a signed URL: its query string (the signature) is never quoted.
	const flat = text
		.replace(/(https?:\/\/[^\s"'<>?]+)\?[^\s"'<>]*/g, '$1?…')
		.replace(/\s+/g, ' ')
		.trim();
	return flat.length > length ? `${flat.slice(0, length)}…` : flat;
}
