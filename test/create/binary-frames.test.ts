/* eslint-disable @n8n/community-nodes/no-restricted-imports -- a test writing frames that are not images */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { BinaryMode } from '../../dev/engine/binary-data';
import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import type { TestItem } from '../../dev/engine/test-nodes';
import { runOnSimulator } from '../../dev/engine/workflows';
import type { CometApiSimulator } from '../../dev/simulator';
import { fixturePath, readFixture } from '../../dev/simulator';

const png = readFixture('firstFrame');
const jpeg = readFixture('lastFrame');

describe.each<BinaryMode>(['default', 'filesystem'])(
	'Create with image frames, binary data mode "%s"',
	(mode) => {
		let sim: CometApiSimulator;
		useSimulator({ binaryMode: mode }, (started) => (sim = started));

		it('image to video: one input_reference part with the bytes, name and MIME type of the input', async () => {
			const items: TestItem[] = [
				{
					binary: {
						photo: { path: fixturePath.firstFrame, mimeType: 'image/png', fileName: 'product.png' },
					},
				},
			];
			const result = await runOnSimulator(sim, {
				items,
				parameters: {
					resource: 'video',
					operation: 'create',
					waitForCompletion: false,
					prompt: 'The product turns slowly',
					frames: 'single',
					imageBinaryProperty: 'photo',
				},
			});
			expect(result.nodeError('Veo')).toBeUndefined();
			// In filesystem mode the frame sits in n8n's store on disk (an id, no inline data).
			const input = result.output('Items')[0].binary!.photo;
			expect(Boolean(input.id)).toBe(mode === 'filesystem');

			const [create] = sim.creates();
			expect(create.files).toHaveLength(1);
			expect(create.files[0]).toMatchObject({
				field: 'input_reference',
				// The node's own name, by position and type, not the upstream file name.
				filename: 'frame-1.png',
				contentType: 'image/png',
			});
			expect(create.files[0].data.equals(png)).toBe(true);
			expect(result.output('Veo')[0].json.id).toBe(create.taskId);
		});

		it('first and last frame: two parts, in that order, whatever order the item holds them in', async () => {
			const items: TestItem[] = [
				{
					binary: {
						end: { path: fixturePath.lastFrame, mimeType: 'image/jpeg' },
						start: { path: fixturePath.firstFrame, mimeType: 'image/png' },
					},
				},
			];
			const result = await runOnSimulator(sim, {
				items,
				parameters: {
					resource: 'video',
					operation: 'create',
					waitForCompletion: false,
					prompt: 'From dawn to dusk',
					model: { __rl: true, mode: 'id', value: 'veo3-frames' },
					frames: 'firstLast',
					firstFrameBinaryProperty: 'start',
					lastFrameBinaryProperty: 'end',
				},
			});
			expect(result.nodeError('Veo')).toBeUndefined();
			const [create] = sim.creates();
			expect(create.fields.model).toBe('veo3-frames');
			expect(create.files.map((file) => [file.field, file.filename, file.contentType])).toEqual([
				['input_reference', 'frame-1.png', 'image/png'],
				['input_reference', 'frame-2.jpg', 'image/jpeg'],
			]);
			expect(create.files[0].data.equals(png)).toBe(true);
			expect(create.files[1].data.equals(jpeg)).toBe(true);
		});

		it('an image stored without a MIME type is taken by its extension', async () => {
			const items: TestItem[] = [
				{
					binary: {
						data: {
							path: fixturePath.firstFrame,
							mimeType: 'application/octet-stream',
							fileName: 'shot.png',
						},
					},
				},
			];
			const result = await runOnSimulator(sim, {
				items,
				parameters: {
					resource: 'video',
					operation: 'create',
					waitForCompletion: false,
					prompt: 'Zoom in',
					frames: 'single',
				},
			});
			expect(result.nodeError('Veo')).toBeUndefined();
			expect(result.output('Items')[0].binary!.data.mimeType).toBe('application/octet-stream');
			expect(sim.creates()[0].files[0]).toMatchObject({
				filename: 'frame-1.png',
				contentType: 'image/png',
			});
		});

		if (mode === 'filesystem') {
			it('a frame whose file is gone from the store fails before any create is sent, naming the item and field', async () => {
				const items: TestItem[] = [
					{ binary: { data: { path: fixturePath.firstFrame, mimeType: 'image/png' } } },
					{
						binary: {
							data: { path: fixturePath.firstFrame, mimeType: 'image/png', goneFromStore: true },
						},
					},
				];
				const result = await runOnSimulator(sim, {
					items,
					parameters: {
						resource: 'video',
						operation: 'create',
						waitForCompletion: false,
						prompt: 'Zoom in',
						frames: 'single',
					},
				});
				expect(result.nodeError('Veo')?.message).toBe(
					'Item 1: "Image Binary Property": the file of binary property "data" is no longer in n8n\'s binary store',
				);
				expect(sim.creates()).toHaveLength(0);
			});
		}
	},
);

describe('A binary frame whose content is not an image', () => {
	let sim: CometApiSimulator;
	useSimulator({}, (started) => (sim = started));

	it.each([
		[
			'an empty file declared as PNG',
			'',
			'image/png',
			'x.png',
			/binary property "photo" is empty$/,
		],
		[
			'an HTML page named .png',
			'<html>hi</html>',
			'application/octet-stream',
			'page.png',
			/binary property "photo" is not a PNG, JPEG or WebP image by its content \(declared image\/png\)$/,
		],
	])(
		'a binary frame that is %s is refused before any request',
		async (_name, content, mimeType, fileName, message) => {
			const dir = mkdtempSync(join(tmpdir(), 'veo-frame-'));
			const path = join(dir, fileName);
			writeFileSync(path, content);
			const items: TestItem[] = [{ binary: { photo: { path, mimeType, fileName } } }];
			const result = await runOnSimulator(sim, {
				items,
				parameters: {
					resource: 'video',
					operation: 'create',
					prompt: 'x',
					frames: 'single',
					imageBinaryProperty: 'photo',
				},
			});
			expect(result.nodeError('Veo')?.message).toMatch(
				new RegExp(`^Item 0: "Image Binary Property": ${message.source.slice(0, -1)}`),
			);
			expect(sim.calls()).toHaveLength(0);
		},
	);
});
