/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test-side server: the community-node rules bind the shipped node, not this */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

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
