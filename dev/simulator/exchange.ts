/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test-side server: the community-node rules bind the shipped node, not this */
import busboy from 'busboy';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorReply } from './errors';
import { gzipSync } from 'node:zlib';
import { bodyModeFor, faultReply, FULL_BODY, type BodyMode, type FaultQueue } from './faults';
import { rawReply, type Reply, type Timers } from './http';
import type { RequestLog } from './records';
import type { DrawnFault, RecordedFile, RecordedRequest, ServerName } from './types';
import { videoChunks, videoLength, type Origins } from './video';

// One request on either host: record it, read its body, apply the fault that matches, route,
// and send the answer the way the fault says.

export interface Exchange {
	record: RecordedRequest;
	body: ParsedBody;
}

/** What a server adds to the shared request pipeline. */
export interface ServerRoutes {
	/** The task a path refers to, known before any fault or auth check. */
	taskIdOf(record: RecordedRequest): string | undefined;
	route(exchange: Exchange): Reply | Promise<Reply>;
}

export interface ExchangeDeps {
	log: RequestLog;
	faults: FaultQueue;
	timers: Timers;
	/** Where a 'redirect' fault sends the client. */
	origins: Origins;
}

// Lets the client read the headers and the first half before the reset arrives.
const RESET_AFTER_MS = 25;

/** One request on either server: record it, apply the fault that matches, route, answer. */
export function exchangeHandler(server: ServerName, deps: ExchangeDeps, routes: ServerRoutes) {
	return (req: IncomingMessage, res: ServerResponse): void => {
		const record = deps.log.open(server, req);
		handle(req, res, record, deps, routes).catch(() => {
			// Unexpected: answer 500 if still possible. Nothing is logged (headers carry the key).
			if (!res.headersSent && !res.destroyed) {
				sendReply(req, res, record, errorReply(500), FULL_BODY, deps.timers).catch(() =>
					res.destroy(),
				);
			} else {
				res.destroy();
			}
		});
	};
}

async function handle(
	req: IncomingMessage,
	res: ServerResponse,
	record: RecordedRequest,
	deps: ExchangeDeps,
	routes: ServerRoutes,
): Promise<void> {
	record.taskId = routes.taskIdOf(record);
	const queued = deps.faults.take(record);
	if (queued) record.fault = queued.kind;
	if (queued?.kind === 'reset-before') return resetSocket(req);

	const body = await readBody(req);
	if (body.kind === 'multipart') {
		record.fields = body.fields;
		record.files = body.files;
	} else if (body.kind === 'raw') {
		record.body = body.body;
	}
	// A drawn fault is chosen now, so that a picker sees a create's fields.
	const fault: DrawnFault | undefined = queued ?? deps.faults.draw(record);
	if (fault) record.fault = fault.kind;
	if (fault?.kind === 'reset-before') return resetSocket(req);
	// The body is read first so that a slow answer still acts on a request the client gave up on.
	if (fault?.kind === 'delay') await deps.timers.sleep(fault.delayMs ?? 0);

	const early = faultReply(fault, record, deps.origins);
	if (early) return sendReply(req, res, record, early, FULL_BODY, deps.timers);

	const reply = await routes.route({ record, body });
	if (fault?.kind === 'accept-then-reset') return resetSocket(req);
	if (fault?.kind === 'accept-then-500') {
		return sendReply(
			req,
			res,
			record,
			fault.body !== undefined ? rawReply(500, fault.body) : errorReply(500, undefined, fault.code),
			FULL_BODY,
			deps.timers,
		);
	}
	return sendReply(req, res, record, reply, bodyModeFor(fault), deps.timers);
}

// ---- Sending ----

/**
 * Sends a reply with its full Content-Length (of the compressed bytes when gzipped), then as
 * much of the body as the mode says; the body is streamed with backpressure.
 */
async function sendReply(
	req: IncomingMessage,
	res: ServerResponse,
	record: RecordedRequest,
	reply: Reply,
	mode: BodyMode,
	timers: Timers,
): Promise<void> {
	if (res.destroyed || req.socket.destroyed) return; // the client left; nothing was answered
	const gzipped =
		mode.kind === 'gzip' ? gzipSync(Buffer.concat([...videoChunks(reply.body)])) : undefined;
	const body = gzipped ?? reply.body;
	const length = videoLength(body);
	const headers: Record<string, string> = {
		...reply.headers,
		'content-length': String(mode.kind === 'empty' ? 0 : length),
	};
	if (gzipped) headers['content-encoding'] = 'gzip';
	// A short body must end the connection, or the client would wait for the rest forever.
	if (mode.kind === 'half-then-end') headers.connection = 'close';
	record.status = reply.status;
	res.writeHead(reply.status, headers);
	if (req.method === 'HEAD' || mode.kind === 'empty') return endWhole(res, record);
	const cut = mode.kind === 'half-then-end' || mode.kind === 'half-then-reset';
	const limit = cut ? Math.floor(length / 2) : length;
	const pieceBytes = mode.kind === 'slow' ? Math.max(1, Math.ceil(length / mode.pieces)) : Infinity;
	let sent = 0;
	for (const chunk of videoChunks(body, limit)) {
		for (let offset = 0; offset < chunk.length; ) {
			if (res.destroyed) return;
			// Up to the end of the current piece; a slow body pauses at every piece boundary.
			const take = Math.min(chunk.length - offset, pieceBytes - (sent % pieceBytes));
			if (!res.write(chunk.subarray(offset, offset + take))) await drainOrClose(res);
			offset += take;
			sent += take;
			if (mode.kind === 'slow' && sent % pieceBytes === 0 && sent < limit)
				await timers.sleep(mode.pauseMs);
		}
	}
	if (res.destroyed) return;
	if (mode.kind === 'half-then-end') {
		res.end();
		return;
	}
	if (mode.kind !== 'half-then-reset') return endWhole(res, record);
	await flushed(res);
	await timers.sleep(RESET_AFTER_MS);
	resetSocket(req);
}

/** Ends an answer whose body went out whole, and records that once it has. */
function endWhole(res: ServerResponse, record: RecordedRequest): void {
	res.end(() => {
		record.sentWhole = true;
	});
}

/** An RST rather than a FIN, so the client sees ECONNRESET. */
function resetSocket(req: IncomingMessage): void {
	const socket = req.socket;
	if (!socket.destroyed) socket.resetAndDestroy();
}

function drainOrClose(res: ServerResponse): Promise<void> {
	return new Promise((resolve) => {
		const done = (): void => {
			res.off('drain', done);
			res.off('close', done);
			resolve();
		};
		res.on('drain', done);
		res.on('close', done);
	});
}

function flushed(res: ServerResponse): Promise<void> {
	return new Promise((resolve) => {
		if (res.destroyed) return resolve();
		res.write(Buffer.alloc(0), () => resolve());
	});
}

// ---- Reading the request body ----

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

function isMultipart(req: IncomingMessage): boolean {
	return (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data');
}

class MultipartError extends Error {}

function parseMultipart(
	req: IncomingMessage,
): Promise<{ fields: Record<string, string>; files: RecordedFile[] }> {
	return new Promise((resolve, reject) => {
		const fields: Record<string, string> = {};
		const files: RecordedFile[] = [];
		let parser: busboy.Busboy;
		try {
			parser = busboy({
				headers: req.headers,
				preservePath: true,
				limits: { fieldSize: MAX_FIELD_BYTES },
			});
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
			const file: RecordedFile = {
				field,
				filename: info.filename,
				contentType: info.mimeType,
				data: Buffer.alloc(0),
			};
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
