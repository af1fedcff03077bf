import type { INodeParameters } from 'n8n-workflow';

import type { RawServer } from '../../dev/engine/raw-server';
import { createFromImageUrl } from '../../dev/engine/parameters';
import { startRawServer } from '../../dev/engine/raw-server';
import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import type { TestItem } from '../../dev/engine/test-nodes';
import { runOnSimulator } from '../../dev/engine/workflows';
import type { CometApiSimulator } from '../../dev/simulator';
import { fixturePath, readFixture } from '../../dev/simulator';

const png = readFixture('firstFrame');

/**
 * A part name or file name goes into the multipart header, which the host n8n's form-data
 * writes (1.x's 4.0.0 unescaped). Only names the node vouches for may get there.
 */
describe('Additional Fields names: plain identifiers only, refused before any request', () => {
	let sim: CometApiSimulator;
	useSimulator({}, (started) => (sim = started));
	const withFields = (name: unknown, extra: INodeParameters = {}): INodeParameters => ({
		resource: 'video',
		operation: 'create',
		waitForCompletion: false,
		prompt: '={{ $json.p ?? "A lantern festival" }}',
		additionalFields: { field: [{ name, value: 'veo3-pro' }] } as never,
		...extra,
	});

	it.each([
		['a quote that would open a second part name', 'model"; x="'],
		['a line break that would write a header', 'note\r\nX-Evil: 1'],
		['a bare line feed', 'note\nx'],
		['brackets read as the reserved field', 'input_reference[]'],
		['brackets read as the model', 'model[]'],
		['an index read as the prompt', 'prompt[0]'],
		['brackets read as the size', 'size[]'],
		['a space', 'negative prompt'],
		['a letter outside ASCII', 'négatif'],
		['a semicolon', 'seed;x'],
	])('%s: %j', async (_what, name) => {
		const error = (await runOnSimulator(sim, { parameters: withFields(name) })).nodeError('Veo');
		expect(error?.message).toBe(
			`Item 0: "Additional Fields 1 Name" is not a plain field name: ${JSON.stringify(name)}. A field name has only letters, digits, _, - and . (e.g. negative_prompt)`,
		);
		expect(sim.calls()).toHaveLength(0);
	});

	it.each(['Model', 'MODEL', ' model ', 'Input_Reference', 'prompt.x', 'SIZE.y'])(
		'a name the node sends itself, in any case or form: %j',
		async (name) => {
			const error = (await runOnSimulator(sim, { parameters: withFields(name) })).nodeError('Veo');
			expect(error?.message).toBe(
				`Item 0: "Additional Fields 1 Name" "${name.trim()}" is a field the node sends itself`,
			);
			expect(sim.calls()).toHaveLength(0);
		},
	);

	it('plain names go out as they are', async () => {
		const result = await runOnSimulator(sim, {
			parameters: {
				...withFields('x'),
				additionalFields: {
					field: [
						{ name: 'negative_prompt', value: 'blur' },
						{ name: 'seed', value: '42' },
						{ name: 'style.v2-beta', value: 'on' },
					],
				},
			},
		});
		expect(result.nodeError('Veo')).toBeUndefined();
		expect(sim.creates()[0].fields).toEqual({
			prompt: 'A lantern festival',
			model: 'veo3-fast',
			size: '16x9',
			negative_prompt: 'blur',
			seed: '42',
			'style.v2-beta': 'on',
		});
	});

	it('with Continue On Fail, the items with a bad name carry the error and the others go on', async () => {
		const items: TestItem[] = [
			{ json: { p: 'one', n: 'seed' } },
			{ json: { p: 'two', n: 'model"; x="' } },
			{ json: { p: 'three', n: 'size[]' } },
			{ json: { p: 'four', n: 'negative_prompt' } },
		];
		const result = await runOnSimulator(sim, {
			items,
			continueOnFail: true,
			parameters: withFields('={{ $json.n }}'),
		});
		const output = result.output('Veo');
		expect(sim.creates().map((create) => create.fields)).toEqual([
			{ prompt: 'one', model: 'veo3-fast', size: '16x9', seed: 'veo3-pro' },
			{ prompt: 'four', model: 'veo3-fast', size: '16x9', negative_prompt: 'veo3-pro' },
		]);
		expect(output.map((item) => item.json.error ?? item.json.id)).toEqual([
			sim.creates()[0].taskId,
			'Item 1: "Additional Fields 1 Name" is not a plain field name: "model\\"; x=\\"". A field name has only letters, digits, _, - and . (e.g. negative_prompt)',
			'Item 2: "Additional Fields 1 Name" is not a plain field name: "size[]". A field name has only letters, digits, _, - and . (e.g. negative_prompt)',
			sim.creates()[1].taskId,
		]);
	});
});

describe("input_reference file names are the node's own, by position and image type", () => {
	let sim: CometApiSimulator;
	useSimulator({ binaryMode: 'filesystem' }, (started) => (sim = started));
	let images: RawServer;
	beforeAll(async () => {
		images = await startRawServer('127.0.0.4', (_req, res) => {
			res.writeHead(200, { 'content-type': 'image/png' });
			res.end(png);
		});
	});
	afterAll(async () => await images.close());

	it('a URL whose path decodes to a quote, a line break and a header is sent as frame-1.png', async () => {
		const result = await runOnSimulator(sim, {
			parameters: createFromImageUrl(`${images.url}/a%22%0d%0aX-Evil%3a%201.png?sig=1`),
		});
		expect(result.nodeError('Veo')).toBeUndefined();
		expect(
			sim.creates()[0].files.map((file) => [file.field, file.filename, file.contentType]),
		).toEqual([['input_reference', 'frame-1.png', 'image/png']]);
		expect(sim.creates()[0].files[0].data.equals(png)).toBe(true);
		expect(Object.keys(sim.creates()[0].fields)).toEqual(['prompt', 'model', 'size']);
	});

	it("binary frames' upstream file names (e.g. from a form upload) are not sent: frame-1.png, frame-2.jpg", async () => {
		const items: TestItem[] = [
			{
				binary: {
					start: {
						path: fixturePath.firstFrame,
						mimeType: 'image/png',
						fileName: 'up"; name="model"\r\nX-Evil: 1.png',
					},
					end: { path: fixturePath.lastFrame, mimeType: 'image/jpeg', fileName: 'dusk[0].jpg' },
				},
			},
		];
		const result = await runOnSimulator(sim, {
			items,
			parameters: {
				resource: 'video',
				operation: 'create',
				waitForCompletion: false,
				prompt: 'x',
				frames: 'firstLast',
				firstFrameBinaryProperty: 'start',
				lastFrameBinaryProperty: 'end',
			},
		});
		expect(result.nodeError('Veo')).toBeUndefined();
		expect(
			sim.creates()[0].files.map((file) => [file.field, file.filename, file.contentType]),
		).toEqual([
			['input_reference', 'frame-1.png', 'image/png'],
			['input_reference', 'frame-2.jpg', 'image/jpeg'],
		]);
		expect(Object.keys(sim.creates()[0].fields)).toEqual(['prompt', 'model', 'size']);
	});

	it('an image URL with a malformed escape still works, sent under a file name of the node', async () => {
		const result = await runOnSimulator(sim, {
			parameters: createFromImageUrl(`${images.url}/img%zz.png?sig=1`),
		});
		expect(result.nodeError('Veo')).toBeUndefined();
		// Sent under the node's own name: nothing of the URL reaches the part's header.
		expect(sim.creates()[0].files[0].filename).toBe('frame-1.png');
	});
});
