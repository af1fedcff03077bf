/** Bodies the node reads itself are read to a cap: a server may answer with anything. */

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
export async function readCapped(body: unknown, cap: number): Promise<CappedBody> {
	if (!isStream(body)) {
		const text = Buffer.isBuffer(body)
			? body.toString('utf8')
			: typeof body === 'string'
				? body
				: JSON.stringify(body ?? '');
		return { text: text.slice(0, cap), truncated: text.length > cap };
	}
	const chunks: Buffer[] = [];
	let size = 0;
	const iterator = (body as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
	while (size <= cap) {
		const { value, done } = await iterator.next();
		if (done) return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
		const buffer = Buffer.isBuffer(value) ? value : Buffer.from(value);
		chunks.push(buffer);
		size += buffer.length;
	}
	discard(body);
	return { text: Buffer.concat(chunks).subarray(0, cap).toString('utf8'), truncated: true };
}

/** Drops a body unread (a redirect's, or the rest past a cap); its late errors go nowhere. */
export function discard(body: unknown): void {
	if (!isStream(body)) return;
	body.on('error', () => {});
	body.destroy?.();
}

/** A short, single-line quote of an answer for an error message. */
export function excerpt(text: string, length = 200): string {
	const flat = text.replace(/\s+/g, ' ').trim();
	return flat.length > length ? `${flat.slice(0, length)}…` : flat;
}
