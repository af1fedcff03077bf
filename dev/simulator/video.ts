/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test-side server: the community-node rules bind the shipped node, not this */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { ApiContext } from './api';
import { errorReply, taskNotFoundReply } from './errors';
import type { ServerRoutes } from './exchange';
import { jsonReply, listen, textReply, videoReply, type Reply } from './http';
import type { TaskStore } from './tasks';
import type { RecordedRequest, VideoSource } from './types';

// CometAPI's Content route, and the storage host that video_url points to: the video's bytes, the
// content route on the API host, and the other host that serves the file without a key.

export const FIXTURES_DIR = join(__dirname, '..', 'fixtures');

export const fixturePath = {
	sampleVideo: join(FIXTURES_DIR, 'sample.mp4'),
	firstFrame: join(FIXTURES_DIR, 'first-frame.png'),
	lastFrame: join(FIXTURES_DIR, 'last-frame.jpg'),
	notes: join(FIXTURES_DIR, 'notes.txt'),
};

export function readFixture(name: keyof typeof fixturePath): Buffer {
	return readFileSync(fixturePath[name]);
}

// ---- The bytes ----

const CHUNK = 64 * 1024;

// One pseudo-random block reused for generated videos. It starts with a real MP4 ftyp box
// so type sniffers see video; bytes 32..39 of every block hold the block index, so a
// truncated or reordered download never matches the expected digest.
const FTYP = Buffer.from('000000206674797069736f6d0000020069736f6d69736f32617663316d703431', 'hex');
const BLOCK = makeBlock();

function makeBlock(): Buffer {
	const block = Buffer.alloc(CHUNK);
	let state = 0x9e3779b9;
	for (let i = 0; i < CHUNK; i += 4) {
		state ^= state << 13;
		state ^= state >>> 17;
		state ^= state << 5;
		block.writeUInt32LE(state >>> 0, i);
	}
	FTYP.copy(block, 0);
	return block;
}

export function videoLength(video: VideoSource): number {
	return Buffer.isBuffer(video) ? video.length : video.size;
}

/** The first `limit` bytes of a video, in chunks of at most 64 KiB. */
export function* videoChunks(video: VideoSource, limit = videoLength(video)): Generator<Buffer> {
	const end = Math.min(limit, videoLength(video));
	if (Buffer.isBuffer(video)) {
		for (let offset = 0; offset < end; offset += CHUNK)
			yield video.subarray(offset, Math.min(end, offset + CHUNK));
		return;
	}
	for (let offset = 0, index = 0; offset < end; offset += CHUNK, index++) {
		const chunk = Buffer.from(BLOCK);
		chunk.writeBigUInt64BE(BigInt(index), 32);
		yield chunk.subarray(0, Math.min(CHUNK, end - offset));
	}
}

/** sha256 hex of a video, so a test can check a large download without keeping a copy. */
export function videoDigest(video: VideoSource): string {
	const hash = createHash('sha256');
	for (const chunk of videoChunks(video)) hash.update(chunk);
	return hash.digest('hex');
}

// ---- Where a video lives ----

/** Where the two hosts listen, known once they do. */
export interface Origins {
	baseUrl: string;
	videoHostUrl: string;
}

export function videoHostPath(taskId: string): string {
	return `/videos/${taskId}.mp4`;
}

export function videoHostUrl(origins: Origins, taskId: string): string {
	return origins.videoHostUrl + videoHostPath(taskId);
}

// ---- GET /v1/videos/{id}/content[?variant=video] ----

/** The MP4 once completed (bytes, a redirect to the video host, or JSON with its URL); a 400 before. */
export function videoContent(ctx: ApiContext, record: RecordedRequest, taskId: string): Reply {
	const task = ctx.tasks.get(taskId);
	if (!task) return taskNotFoundReply(taskId);
	record.taskId = taskId;
	const variant = record.query.variant ?? 'video';
	if (variant !== 'video')
		return errorReply(400, `variant ${variant} is not available for this model`, 'invalid_request');
	const state = ctx.tasks.state(task);
	if (state.failed)
		return errorReply(400, 'video is not ready: the task failed', 'video_not_ready');
	if (!state.completed) return errorReply(400, 'video is not ready', 'video_not_ready');
	const url = videoHostUrl(ctx.origins, task.id);
	switch (task.script.content) {
		case 'redirect':
			return textReply(302, '', 'text/plain; charset=utf-8', { location: url });
		case 'json-url':
			return jsonReply(200, { url });
		case 'bytes':
			return videoReply(task.script.video);
	}
}

// ---- The storage host ----

// It checks no auth: a test asserts that no authorization header ever reaches it.
const VIDEO_PATH = /^\/videos\/([^/]+)\.mp4$/;

// Example workflows fetch their frames with n8n's HTTP Request node from here.
const IMAGES: Record<string, { fixture: 'firstFrame' | 'lastFrame'; type: string }> = {
	'/images/first-frame.png': { fixture: 'firstFrame', type: 'image/png' },
	'/images/last-frame.jpg': { fixture: 'lastFrame', type: 'image/jpeg' },
};

export function videoHostRoutes(tasks: TaskStore): ServerRoutes {
	return {
		taskIdOf({ path }) {
			const id = VIDEO_PATH.exec(path)?.[1];
			return id !== undefined && tasks.get(id) ? id : undefined;
		},
		route({ record }) {
			const task = record.taskId !== undefined ? tasks.get(record.taskId) : undefined;
			if (record.method !== 'GET' && record.method !== 'HEAD')
				return textReply(405, 'Method Not Allowed', 'text/plain', { allow: 'GET, HEAD' });
			const image = IMAGES[record.path];
			if (image)
				return {
					status: 200,
					headers: { 'content-type': image.type },
					body: readFixture(image.fixture),
				};
			if (!task || !tasks.state(task).completed) return textReply(404, 'Not Found', 'text/plain');
			return videoReply(task.script.video);
		},
	};
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
