/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test-side server: the community-node rules bind the shipped node, not this */
import { createServer, type Server } from 'node:http';
import { exchangeHandler, type ExchangeDeps } from './exchange';
import { listen } from './listen';
import { readFixture } from './fixtures';
import { textReply, videoReply } from './reply';
import type { TaskStore } from './tasks';

// The storage/CDN host that video_url points to. It checks no auth: a test asserts that no
// authorization header ever reaches it.
const VIDEO_PATH = /^\/videos\/([^/]+)\.mp4$/;

// Example workflows fetch their frames with n8n's HTTP Request node from here.
const IMAGES: Record<string, { fixture: 'firstFrame' | 'lastFrame'; type: string }> = {
	'/images/first-frame.png': { fixture: 'firstFrame', type: 'image/png' },
	'/images/last-frame.jpg': { fixture: 'lastFrame', type: 'image/jpeg' },
};

export function createVideoHost(deps: ExchangeDeps, tasks: TaskStore): Server {
	return createServer(exchangeHandler('video', deps, {
		taskIdOf({ path }) {
			const id = VIDEO_PATH.exec(path)?.[1];
			return id !== undefined && tasks.get(id) ? id : undefined;
		},
		route({ record }) {
			const task = record.taskId !== undefined ? tasks.get(record.taskId) : undefined;
			if (record.method !== 'GET' && record.method !== 'HEAD') return textReply(405, 'Method Not Allowed', 'text/plain', { allow: 'GET, HEAD' });
			const image = IMAGES[record.path];
			if (image) return { status: 200, headers: { 'content-type': image.type }, body: readFixture(image.fixture) };
			if (!task || !tasks.state(task).completed) return textReply(404, 'Not Found', 'text/plain');
			return videoReply(task.script.video);
		},
	}));
}

/**
 * Binds on 127.0.0.2 so the video host differs from the API by host, not only by port.
 * Where that address is missing, falls back to 127.0.0.1 under the name localhost.
 */
export async function listenVideoHost(server: Server): Promise<string> {
	try {
		return `http://127.0.0.2:${await listen(server, '127.0.0.2')}`;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EADDRNOTAVAIL') throw error;
		return `http://localhost:${await listen(server, '127.0.0.1')}`;
	}
}
