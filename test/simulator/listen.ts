/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test-side server: the community-node rules bind the shipped node, not this */
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

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
