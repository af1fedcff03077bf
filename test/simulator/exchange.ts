/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test-side server: the community-node rules bind the shipped node, not this */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorReply } from './envelope';
import type { FaultQueue } from './faults';
import { readBody, type ParsedBody } from './multipart';
import type { RequestLog } from './records';
import { rawReply, type Reply } from './reply';
import type { Timers } from './timers';
import type { FaultSpec, RecordedRequest, ServerName } from './types';
import { videoChunks, videoLength } from './video-bytes';
import { wrongPathReply } from './wrong-path';

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
}

type BodyMode = 'full' | 'half-then-reset' | 'half-then-end';

// Lets the client read the headers and the first half before the reset arrives.
const RESET_AFTER_MS = 25;

/** One request on either server: record it, apply the fault that matches, route, answer. */
export function exchangeHandler(server: ServerName, deps: ExchangeDeps, routes: ServerRoutes) {
	return (req: IncomingMessage, res: ServerResponse): void => {
		const record = deps.log.open(server, req);
		handle(req, res, record, deps, routes).catch(() => {
			// Unexpected: answer 500 if still possible. Nothing is logged (headers carry the key).
			if (!res.headersSent && !res.destroyed) {
				sendReply(req, res, record, errorReply(500), 'full', deps.timers).catch(() => res.destroy());
			} else {
				res.destroy();
			}
		});
	};
}

async function handle(req: IncomingMessage, res: ServerResponse, record: RecordedRequest, deps: ExchangeDeps, routes: ServerRoutes): Promise<void> {
	record.taskId = routes.taskIdOf(record);
	const fault = deps.faults.take(record);
	if (fault) record.fault = fault.kind;
	if (fault?.kind === 'reset-before') return resetSocket(req);

	const body = await readBody(req);
	if (body.kind === 'multipart') {
		record.fields = body.fields;
		record.files = body.files;
	} else if (body.kind === 'raw') {
		record.body = body.body;
	}
	// The body is read first so that a slow answer still acts on a request the client gave up on.
	if (fault?.kind === 'delay') await deps.timers.sleep(fault.delayMs ?? 0);

	const early = faultReply(fault);
	if (early) return sendReply(req, res, record, early, 'full', deps.timers);

	const reply = await routes.route({ record, body });
	if (fault?.kind === 'accept-then-reset') return resetSocket(req);
	if (fault?.kind === 'accept-then-500') {
		return sendReply(req, res, record, fault.body !== undefined ? rawReply(500, fault.body) : errorReply(500, undefined, fault.code), 'full', deps.timers);
	}
	return sendReply(req, res, record, reply, bodyModeFor(fault), deps.timers);
}

/** Faults that answer without touching any state. */
function faultReply(fault: FaultSpec | undefined): Reply | undefined {
	if (fault?.kind === 'html-301') return wrongPathReply(fault.body);
	if (fault?.kind !== 'status') return undefined;
	const status = fault.status ?? 500;
	const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {};
	return fault.body !== undefined ? rawReply(status, fault.body, headers) : errorReply(status, undefined, fault.code, headers);
}

function bodyModeFor(fault: FaultSpec | undefined): BodyMode {
	if (fault?.kind === 'reset-mid-body') return 'half-then-reset';
	if (fault?.kind === 'short-body') return 'half-then-end';
	return 'full';
}

/** Sends a reply with its full Content-Length; the body is streamed with backpressure. */
async function sendReply(req: IncomingMessage, res: ServerResponse, record: RecordedRequest, reply: Reply, mode: BodyMode, timers: Timers): Promise<void> {
	if (res.destroyed || req.socket.destroyed) return; // the client left; nothing was answered
	const length = videoLength(reply.body);
	const headers: Record<string, string> = { ...reply.headers, 'content-length': String(length) };
	// A short body must end the connection, or the client would wait for the rest forever.
	if (mode === 'half-then-end') headers.connection = 'close';
	record.status = reply.status;
	res.writeHead(reply.status, headers);
	if (req.method === 'HEAD') {
		res.end();
		return;
	}
	const limit = mode === 'full' ? length : Math.floor(length / 2);
	for (const chunk of videoChunks(reply.body, limit)) {
		if (res.destroyed) return;
		if (!res.write(chunk)) await drainOrClose(res);
	}
	if (mode !== 'half-then-reset') {
		res.end();
		return;
	}
	await flushed(res);
	await timers.sleep(RESET_AFTER_MS);
	resetSocket(req);
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
