/* eslint-disable @n8n/community-nodes/no-restricted-imports -- a test of the demo's files on a temp folder */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { clearPreviousOutputs, itemLine, videoPath, writeSummary } from '../../../demo/outputs';

describe("the demo's out/ holds only this run's outputs", () => {
	let root: string;
	let out: string;
	beforeEach(() => {
		root = mkdtempSync(join(tmpdir(), 'demo-out-'));
		out = join(root, 'out');
		mkdirSync(out);
	});
	afterEach(() => rmSync(root, { recursive: true, force: true }));

	it("removes the previous run's videos and summary, and nothing a user put there", () => {
		for (const name of ['video_1.mp4', 'video_2.mp4', 'notes.txt', 'mine.mp4'])
			writeFileSync(join(out, name), 'x');
		writeFileSync(join(root, 'outside.mp4'), 'x');
		writeSummary(out, [
			{ id: 'video_1', status: 'completed', file: join(out, 'video_1.mp4') },
			{ id: 'video_2', status: 'completed', file: join(out, 'video_2.mp4') },
			{ error: 'Could not reach CometAPI' },
			// Only files directly in out/ are the demo's: a summary cannot send it elsewhere.
			{ id: 'video_3', file: join(root, 'outside.mp4') },
		]);

		clearPreviousOutputs(out);

		expect(readdirSync(out).sort()).toEqual(['mine.mp4', 'notes.txt']);
		expect(existsSync(join(root, 'outside.mp4'))).toBe(true);
	});

	it('a first run, or an unreadable summary, removes nothing else', () => {
		writeFileSync(join(out, 'notes.txt'), 'x');
		expect(clearPreviousOutputs(out)).toEqual([]);
		writeFileSync(join(out, 'demo-result.json'), '{ cut short');
		clearPreviousOutputs(out);
		expect(readdirSync(out)).toEqual(['notes.txt']);
	});

	it("a video is named by the node's file name, inside out/", () => {
		expect(videoPath(out, 'video_1.mp4', 'video_1')).toBe(join(out, 'video_1.mp4'));
		expect(videoPath(out, undefined, 'video_2')).toBe(join(out, 'video_2.mp4'));
		expect(videoPath(out, '../../etc/x.mp4', 'video_3')).toBe(join(out, 'x.mp4'));
	});
});

describe("the demo's line per item", () => {
	it('a video: its job, its status and where it was written', () => {
		expect(itemLine(0, { id: 'video_1', status: 'completed' }, '/p/out/video_1.mp4')).toBe(
			'item 0: video_1 completed -> /p/out/video_1.mp4',
		);
	});

	it('a failed item (Continue On Fail) says so, with no stray marks', () => {
		expect(itemLine(1, { error: 'Could not reach CometAPI at http://127.0.0.1:9' })).toBe(
			'item 1 failed: Could not reach CometAPI at http://127.0.0.1:9',
		);
	});

	it('a failed job names the job it had', () => {
		expect(
			itemLine(1, {
				error: 'The video did not finish in time',
				details: { id: 'video_2', status: 'in_progress' },
			}),
		).toBe('item 1 failed (job video_2, in_progress): The video did not finish in time');
	});
});
