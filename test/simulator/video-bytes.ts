import { createHash } from 'node:crypto';
import type { VideoSource } from './types';

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
		for (let offset = 0; offset < end; offset += CHUNK) yield video.subarray(offset, Math.min(end, offset + CHUNK));
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
