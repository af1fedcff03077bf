/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test-side server: the community-node rules bind the shipped node, not this */
import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import type { RecordedFile } from './types';

export interface MultipartBody {
	fields: Record<string, string>;
	files: RecordedFile[];
}

export type ParsedBody =
	| { kind: 'multipart'; fields: Record<string, string>; files: RecordedFile[] }
	| { kind: 'bad-multipart'; message: string }
	| { kind: 'raw'; body: Buffer };

const MAX_FIELD_BYTES = 10 * 1024 * 1024;

/** Reads the whole body: multipart into fields and files (busboy), anything else as raw bytes. */
export async function readBody(req: IncomingMessage): Promise<ParsedBody> {
	if (!isMultipart(req)) return { kind: 'raw', body: await readRaw(req) };
	try {
		return { kind: 'multipart', ...(await parseMultipart(req)) };
	} catch (error) {
		if (error instanceof MultipartError) return { kind: 'bad-multipart', message: error.message };
		throw error;
	}
}

export function isMultipart(req: IncomingMessage): boolean {
	return (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data');
}

class MultipartError extends Error {}

function parseMultipart(req: IncomingMessage): Promise<MultipartBody> {
	return new Promise((resolve, reject) => {
		const fields: Record<string, string> = {};
		const files: RecordedFile[] = [];
		let parser: busboy.Busboy;
		try {
			parser = busboy({ headers: req.headers, preservePath: true, limits: { fieldSize: MAX_FIELD_BYTES } });
		} catch (error) {
			// No boundary or a broken header: still read the body so the answer reaches the client.
			drain(req).then(() => reject(new MultipartError(messageOf(error))), reject);
			return;
		}
		parser.on('field', (name, value) => {
			fields[name] = value;
		});
		parser.on('file', (field, stream, info) => {
			// Pushed now so that files keep the order their parts arrived in.
			const file: RecordedFile = { field, filename: info.filename, contentType: info.mimeType, data: Buffer.alloc(0) };
			files.push(file);
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				file.data = Buffer.concat(chunks);
			});
		});
		parser.on('close', () => resolve({ fields, files }));
		parser.on('error', (error) => {
			req.unpipe(parser);
			drain(req).then(() => reject(new MultipartError(messageOf(error))), reject);
		});
		req.on('error', reject);
		req.on('close', () => {
			if (!req.complete) reject(new Error('request body aborted'));
		});
		req.pipe(parser);
	});
}

function readRaw(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
		req.on('close', () => {
			if (!req.complete) reject(new Error('request body aborted'));
		});
	});
}

function drain(req: IncomingMessage): Promise<void> {
	return new Promise((resolve, reject) => {
		if (req.complete) return resolve();
		req.on('end', () => resolve());
		req.on('error', reject);
		req.resume();
	});
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
