import type { BinaryMode } from '../../dev/engine/binary-data';
import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import type { TestItem } from '../../dev/engine/test-nodes';
import { runOnSimulator } from '../../dev/engine/workflows';
import type { CometApiSimulator } from '../../dev/simulator';
import { fixturePath, readFixture } from '../../dev/simulator';

const png = readFixture('firstFrame');
const create = {
	resource: 'video',
	operation: 'create',
	waitForCompletion: false,
	prompt: 'A kite',
	frames: 'single',
};
/** An upstream item with a real binary `data`, as a Read File or HTTP Request node outputs it. */
const withData: TestItem = {
	binary: { data: { path: fixturePath.firstFrame, mimeType: 'image/png', fileName: 'p.png' } },
};

/** n8n's default ("separate") binary mode: an item's files are in its `binary`. */
describe.each<BinaryMode>(['default', 'filesystem'])(
	'Frames are found in n8n\'s "separate" binary mode, with the "%s" store',
	(store) => {
		let sim: CometApiSimulator;
		useSimulator({ binaryMode: store }, (started) => (sim = started));

		it('the image frame is sent, and a missing one is an error naming the item and the field', async () => {
			const items: TestItem[] = [
				{
					binary: {
						photo: { path: fixturePath.firstFrame, mimeType: 'image/png', fileName: 'p.png' },
					},
				},
				{ binary: { other: { path: fixturePath.firstFrame, mimeType: 'image/png' } } },
			];
			const result = await runOnSimulator(sim, {
				items,
				continueOnFail: true,
				parameters: { ...create, imageBinaryProperty: 'photo' },
			});
			const [sent, missing] = result.output('Veo');
			expect(sim.creates()).toHaveLength(1);
			expect(sent.json.id).toBe(sim.creates()[0].taskId);
			expect(sim.creates()[0].files[0]).toMatchObject({
				filename: 'frame-1.png',
				contentType: 'image/png',
			});
			expect(sim.creates()[0].files[0].data.equals(png)).toBe(true);
			expect(missing.json.error).toBe(
				'Item 1: "Image Binary Property": the item has no binary property "photo"',
			);
			expect(result.nodeError('Veo')).toBeUndefined();
		});
	},
);

/**
 * The workflow setting binaryMode "combined": after each node, n8n-core's convertBinaryData
 * moves an output item's `binary.<key>` into `json._files.<key>` (in every store but "default",
 * where it leaves `binary` alone). The upstream node here outputs a real `binary`; the engine
 * moves it. A user types `data` (the field's default), the path `_files.data`, or drags the
 * field in, which gives the expression `{{ $json._files.data }}` (the binary object itself).
 */
describe('Frames in n8n\'s "combined" binary mode, as n8n-core moves them', () => {
	describe('with the "filesystem" store: the binary is moved to json._files', () => {
		let sim: CometApiSimulator;
		useSimulator({ binaryMode: 'filesystem' }, (started) => (sim = started));
		const run = async (property: string, items: TestItem[] = [withData]) =>
			await runOnSimulator(sim, {
				items,
				binaryMode: 'combined',
				continueOnFail: true,
				parameters: { ...create, imageBinaryProperty: property },
			});

		it.each(['data', '_files.data', '={{ $json._files.data }}'])(
			'Image Binary Property %j finds the frame',
			async (property) => {
				const result = await run(property);
				// n8n-core really moved it: the Veo node's input has it in the json, not in `binary`.
				const [input] = result.output('Items');
				expect(Object.keys(input.binary ?? {})).toEqual([]);
				expect((input.json._files as Record<string, { id?: string }>).data.id).toMatch(
					/^filesystem/,
				);
				const [output] = result.output('Veo');
				// On a refusal the diff shows the item's error in place of the task.
				expect(output.json).toMatchObject({ id: sim.creates()[0]?.taskId, status: 'queued' });
				expect(sim.creates()).toHaveLength(1);
				expect(sim.creates()[0].files.map((file) => [file.filename, file.contentType])).toEqual([
					['frame-1.png', 'image/png'],
				]);
				expect(sim.creates()[0].files[0].data.equals(png)).toBe(true);
			},
		);

		it('a miss names the item and the field, and lists the binary paths the item has', async () => {
			const items: TestItem[] = [
				{
					binary: {
						data: { path: fixturePath.firstFrame, mimeType: 'image/png' },
						end: { path: fixturePath.lastFrame, mimeType: 'image/jpeg' },
					},
				},
			];
			const result = await runOnSimulator(sim, {
				items,
				binaryMode: 'combined',
				parameters: { ...create, imageBinaryProperty: 'photo' },
			});
			const error = result.nodeError('Veo');
			expect(error?.message).toBe(
				'Item 0: "Image Binary Property": the item has no binary property "photo"',
			);
			expect(error?.description).toMatch(/Binary data on this item: _files\.data, _files\.end\.$/);
			expect(sim.calls()).toHaveLength(0);
		});
	});

	describe('with the "default" store: n8n leaves the binary in `binary`', () => {
		let sim: CometApiSimulator;
		useSimulator({ binaryMode: 'default' }, (started) => (sim = started));

		it('Image Binary Property "data" still finds the frame', async () => {
			const result = await runOnSimulator(sim, {
				items: [withData],
				binaryMode: 'combined',
				parameters: { ...create, imageBinaryProperty: 'data' },
			});
			expect(result.output('Items')[0].binary?.data).toBeDefined();
			expect(result.nodeError('Veo')).toBeUndefined();
			expect(sim.creates()).toHaveLength(1);
			expect(sim.creates()[0].files[0].data.equals(png)).toBe(true);
		});
	});
});
