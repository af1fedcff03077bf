/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test-side servers: the community-node rules bind the shipped node, not this */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RawRequest {
	method: string;
	path: string;
	headers: IncomingMessage['headers'];
}

export type RawHandler = (
	req: IncomingMessage,
	res: ServerResponse,
	count: number,
) => void | Promise<void>;

export interface RawServer {
	url: string;
	requests: RawRequest[];
	/** Bytes the handler managed to write before the client went away (see writeEndless). */
	bytesWritten: number;
	close(): Promise<void>;
}

/**
 * A server that answers by hand, as a broken or hostile CometAPI or video host would: the
 * handler writes whatever it likes. Listens on `host` (127.0.0.x), records every request.
 */
export async function startRawServer(host: string, handler: RawHandler): Promise<RawServer> {
	const sockets = new Set<Socket>();
	const state: RawServer = {
		url: '',
		requests: [],
		bytesWritten: 0,
		close: async () =>
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				for (const socket of sockets) socket.destroy();
			}),
	};
	const server: Server = createServer((req, res) => {
		state.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
		Promise.resolve(handler(req, res, state.requests.length)).catch(() => res.destroy());
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, host, resolve));
	state.url = `http://${host}:${(server.address() as AddressInfo).port}`;
	return state;
}

/**
 * Writes `chunk` again and again, honouring backpressure, until `limit` bytes or the client
 * closes; counts what was written on `server.bytesWritten`. A client that reads a body whole
 * takes it all; one that stops early leaves most of it unsent.
 */
export async function writeEndless(
	server: RawServer,
	res: ServerResponse,
	chunk: Buffer,
	limit: number,
): Promise<void> {
	let closed = false;
	// One close listener for the whole write: one per backpressure wait would pile up.
	let wake = () => {};
	res.once('close', () => {
		closed = true;
		wake();
	});
	while (!closed && server.bytesWritten < limit) {
		server.bytesWritten += chunk.length;
		if (!res.write(chunk)) {
			await new Promise<void>((resolve) => {
				wake = resolve;
				res.once('drain', resolve);
			});
		}
	}
	if (!closed) res.end();
}

/**
 * The headers, then a byte every 100 ms until the client goes, for at most 90 s (longer than
 * any test may take): a body that drips in.
 */
export async function writeDrip(res: ServerResponse, contentType: string): Promise<void> {
	res.writeHead(200, { 'content-type': contentType });
	let closed = false;
	res.on('close', () => (closed = true));
	for (let i = 0; i < 900 && !closed; i++) {
		res.write(' ');
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	res.end();
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(text),
	});
	res.end(text);
}

export interface HostileApi {
	api: RawServer;
	video: RawServer;
	taskId: string;
	close(): Promise<void>;
}

/**
 * A CometAPI that accepts one create as `taskId`, answers polls with `poll(n)` (n = 1, 2...),
 * whose default is the completed task pointing at the video host, and a video host on
 * 127.0.0.3 answered by `video`. The key is checked on the API only.
 */
export async function startHostileApi(options: {
	apiKey: string;
	video: RawHandler;
	poll?: (count: number, videoUrl: string) => { status: number; body: unknown };
	taskId?: string;
}): Promise<HostileApi> {
	const taskId = options.taskId ?? 'task_hostile1';
	const video = await startRawServer('127.0.0.3', options.video);
	const videoUrl = `${video.url}/videos/${taskId}.mp4`;
	let polls = 0;
	const api = await startRawServer('127.0.0.1', (req, res) => {
		if (req.headers.authorization !== `Bearer ${options.apiKey}`)
			return sendJson(res, 401, { error: { message: 'bad key' } });
		req.resume();
		if (req.method === 'POST' && req.url === '/v1/videos')
			return sendJson(res, 200, { id: taskId, status: 'queued', progress: 0 });
		if (req.method === 'GET' && req.url === `/v1/videos/${taskId}`) {
			polls++;
			const answer = options.poll?.(polls, videoUrl) ?? {
				status: 200,
				body: { id: taskId, status: 'completed', progress: 100, video_url: videoUrl },
			};
			return sendJson(res, answer.status, answer.body);
		}
		sendJson(res, 404, { error: { message: `no route ${req.method} ${req.url}` } });
	});
	return {
		api,
		video,
		taskId,
		close: async () => void (await Promise.all([api.close(), video.close()])),
	};
}
