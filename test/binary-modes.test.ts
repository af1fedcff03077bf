import type { BinaryMode } from './engine/binary-data';
import { useSimulator } from './engine/simulator-lifecycle';
import { runWorkflow } from './engine/run-workflow';
import type { TestItem } from './engine/test-nodes';
import { veoWorkflow } from './engine/workflows';
import type { CometApiSimulator } from './simulator';
import { fixturePath, readFixture } from './simulator';

const png = readFixture('firstFrame');

/**
 * n8n keeps an item's files apart (`binary`, its "separate" mode) or, with the workflow setting
 * binaryMode "combined", inside the json. The node asks n8n's own helper for frames, so both work.
 */
describe.each<[string, 'separate' | 'combined', TestItem['binaryIn']]>([
	['separate', 'separate', 'binary'],
	['combined', 'combined', 'json'],
])('Frames are found in n8n\'s "%s" binary mode', (_name, binaryMode, binaryIn) => {
	describe.each<BinaryMode>(['default', 'filesystem'])('with the "%s" store', (store) => {
		let sim: CometApiSimulator;
		useSimulator({ binaryMode: store }, (started) => (sim = started));

		it('the image frame is sent, and a missing one is an error naming the item and the field', async () => {
			const items: TestItem[] = [
				{
					binaryIn,
					binary: {
						photo: { path: fixturePath.firstFrame, mimeType: 'image/png', fileName: 'p.png' },
					},
				},
				{ binaryIn, binary: { other: { path: fixturePath.firstFrame, mimeType: 'image/png' } } },
			];
			const result = await runWorkflow(
				veoWorkflow({
					apiKey: sim.apiKey,
					baseUrl: sim.baseUrl,
					items,
					binaryMode,
					continueOnFail: true,
					parameters: {
						resource: 'video',
						operation: 'create',
						waitForCompletion: false,
						prompt: 'A kite',
						frames: 'single',
						imageBinaryProperty: 'photo',
					},
				}),
			);
			const [sent, missing] = result.output('Veo');
			expect(sim.creates()).toHaveLength(1);
			expect(sent.json.id).toBe(sim.creates()[0].taskId);
			expect(sim.creates()[0].files[0]).toMatchObject({
				filename: 'p.png',
				contentType: 'image/png',
			});
			expect(sim.creates()[0].files[0].data.equals(png)).toBe(true);
			expect(missing.json.error).toBe(
				'Item 1: "Image Binary Property": the item has no binary property "photo"',
			);
		});
	});
});

describe('A credential whose Base URL is not a URL', () => {
	it('with Continue On Fail, every item carries the error; nothing is sent', async () => {
		const result = await runWorkflow(
			veoWorkflow({
				apiKey: 'sk-any',
				baseUrl: 'not a url',
				items: [{ json: {} }, { json: {} }],
				continueOnFail: true,
				parameters: { resource: 'video', operation: 'create', prompt: 'A kite' },
			}),
		);
		const output = result.output('Veo');
		expect(output).toHaveLength(2);
		for (const [index, item] of output.entries()) {
			expect(item.json.error).toBe(
				'The "Base URL" of the CometAPI Veo credential is not an http(s) URL: "not a url"',
			);
			expect(item.pairedItem).toEqual({ item: index });
		}
	});

	it('without it, the node fails with that error', async () => {
		const result = await runWorkflow(
			veoWorkflow({
				apiKey: 'sk-any',
				baseUrl: 'ftp://example',
				parameters: { resource: 'video', operation: 'create', prompt: 'A kite' },
			}),
		);
		expect(result.nodeError('Veo')?.message).toBe(
			'The "Base URL" of the CometAPI Veo credential is not an http(s) URL: "ftp://example"',
		);
	});
});
