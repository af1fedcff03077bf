/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test-side server: the community-node rules bind the shipped node, not this */
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { VideoSource } from './types';

// Server plumbing shared by both hosts: answers as values, listening, sockets and timers.

/** An answer decided by a route, sent later so that faults can reshape how it goes out. */
export interface Reply {
	status: number;
	headers: Record<string, string>;
	body: VideoSource;
}

export function jsonReply(
	status: number,
	value: unknown,
	headers: Record<string, string> = {},
): Reply {
	return {
		status,
		headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
		body: Buffer.from(JSON.stringify(value)),
	};
}

export function textReply(
	status: number,
	text: string,
	contentType: string,
	headers: Record<string, string> = {},
): Reply {
	return { status, headers: { 'content-type': contentType, ...headers }, body: Buffer.from(text) };
}

export function videoReply(video: VideoSource): Reply {
	return { status: 200, headers: { 'content-type': 'video/mp4' }, body: video };
}

/** A raw fault body: JSON when it parses as JSON, plain text otherwise. */
export function rawReply(
	status: number,
	body: string,
	headers: Record<string, string> = {},
): Reply {
	return textReply(
		status,
		body,
		looksLikeJson(body) ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
		headers,
	);
}

function looksLikeJson(text: string): boolean {
	try {
		JSON.parse(text);
		return true;
	} catch {
		return false;
	}
}

/** Listens on a free port of `host`; resolves with the port. */
export function listen(server: Server, host: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const fail = (error: Error): void => reject(error);
		server.once('error', fail);
		server.listen(0, host, () => {
			server.off('error', fail);
			resolve((server.address() as AddressInfo).port);
		});
	});
}

/** Remembers open sockets so close() can destroy them (keep-alive would hold close() open). */
export function trackSockets(server: Server): Set<Socket> {
	const sockets = new Set<Socket>();
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	return sockets;
}

export function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
	return new Promise((resolve) => {
		if (!server.listening) return resolve();
		server.close(() => resolve());
		for (const socket of sockets) socket.destroy();
		server.closeAllConnections();
	});
}

/** Sleeps that close() can cancel, so no timer outlives the simulator (jest open handles). */
export class Timers {
	private pending = new Map<NodeJS.Timeout, () => void>();

	sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.pending.delete(timer);
				resolve();
			}, ms);
			this.pending.set(timer, resolve);
		});
	}

	/** Clears every pending sleep and resolves it; callers check whether the socket still lives. */
	cancelAll(): void {
		for (const [timer, resolve] of this.pending) {
			clearTimeout(timer);
			resolve();
		}
		this.pending.clear();
	}
}
