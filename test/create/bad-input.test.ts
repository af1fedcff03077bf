import type { INodeParameters } from 'n8n-workflow';

import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import type { TestItem } from '../../dev/engine/test-nodes';
import { runOnSimulator } from '../../dev/engine/workflows';
import type { CometApiSimulator } from '../../dev/simulator';
import { fixturePath } from '../../dev/simulator';

const create = (extra: INodeParameters): INodeParameters => ({
	resource: 'video',
	operation: 'create',
	waitForCompletion: false,
	prompt: 'A lighthouse at dawn',
	...extra,
});
const retrieve = (taskId: string): INodeParameters => ({
	resource: 'video',
	operation: 'retrieve',
	taskId,
});

const withImage: TestItem = {
	json: {},
	binary: { data: { path: fixturePath.firstFrame, mimeType: 'image/png' } },
};
const withText: TestItem = {
	json: {},
	binary: { data: { path: fixturePath.notes, mimeType: 'text/plain' } },
};

describe('Bad input fails before any request, naming the item and the field', () => {
	let sim: CometApiSimulator;
	useSimulator({}, (started) => (sim = started));

	const cases: Array<[string, INodeParameters, TestItem[], RegExp]> = [
		['an empty prompt', create({ prompt: '   ' }), [{}], /Item 0: "Prompt" is empty/],
		[
			'an empty typed model',
			create({ model: { __rl: true, mode: 'id', value: ' ' } }),
			[{}],
			/Item 0: "Model" is empty/,
		],
		[
			'a missing image binary property',
			create({ frames: 'single', imageBinaryProperty: 'photo' }),
			[withImage],
			/Item 0: "Image Binary Property": the item has no binary property "photo"/,
		],
		[
			'a binary property name that resolves to nothing',
			create({ frames: 'single', imageBinaryProperty: '={{ $json.property }}' }),
			[{ ...withImage, json: { property: '' } }],
			/Item 0: "Image Binary Property" is empty/,
		],
		[
			'a binary that is not an image',
			create({ frames: 'single', imageBinaryProperty: 'data' }),
			[withText],
			/Item 0: "Image Binary Property": binary property "data" is not an image \(text\/plain\)/,
		],
		[
			'an image type Veo does not take',
			create({ frames: 'single', imageBinaryProperty: 'data' }),
			[
				{
					json: {},
					binary: {
						data: { path: fixturePath.firstFrame, mimeType: 'image/gif', fileName: 'a.gif' },
					},
				},
			],
			/Item 0: "Image Binary Property": binary property "data" is not a PNG, JPEG or WebP image \(image\/gif\)/,
		],
		[
			'a size that is no size',
			create({ size: '={{ "big" }}' }),
			[{}],
			/Item 0: "Size" is not a size like 16x9/,
		],
		[
			'seconds that are no number',
			create({ seconds: '={{ "ten" }}' }),
			[{}],
			/Item 0: "Seconds" is not a whole number/,
		],
		[
			'a missing last frame',
			create({
				frames: 'firstLast',
				firstFrameBinaryProperty: 'data',
				lastFrameBinaryProperty: 'last',
			}),
			[withImage],
			/Item 0: "Last Frame Binary Property": the item has no binary property "last"/,
		],
		[
			'Wait for Completion from an expression that is no boolean',
			create({ waitForCompletion: '={{ "yes" }}' }),
			[{}],
			/Item 0: "Wait for Completion" must be true or false, not "yes"/,
		],
		[
			'an Output that is neither binary nor URL',
			create({ waitForCompletion: true, output: '={{ "file" }}' }),
			[{}],
			/Item 0: "Output" must be one of binary, url, not "file"/,
		],
		[
			'an On Timeout that is neither return nor error',
			create({ waitForCompletion: true, options: { onTimeout: '={{ "retry" }}' } }),
			[{}],
			/Item 0: "On Timeout" must be one of return, error, not "retry"/,
		],
		[
			'a number as Image Binary Property',
			create({ frames: 'single', imageBinaryProperty: 5 }),
			[withImage],
			/^Item 0: "Image Binary Property" must be the name of a binary property, not a number$/,
		],
		[
			'an object as Prompt',
			create({ prompt: '={{ { scene: "dawn" } }}' }),
			[{}],
			/^Item 0: "Prompt" must be text, not an object$/,
		],
		[
			'a list as Size',
			create({ size: '={{ ["16x9"] }}' }),
			[{}],
			/^Item 0: "Size" must be text, not an array$/,
		],
		[
			'a Poll Interval past the bound',
			create({ waitForCompletion: true, options: { pollInterval: 1e9 } }),
			[{}],
			/^Item 0: "Poll Interval \(Seconds\)" must be from 1 to 3600, not 1000000000$/,
		],
		[
			'a Max Wait past the bound',
			create({ waitForCompletion: true, options: { maxWaitMinutes: 1e9 } }),
			[{}],
			/^Item 0: "Max Wait \(Minutes\)" must be from 0.01 to 1440, not 1000000000$/,
		],
		[
			'a Max Download Time that is text',
			create({ waitForCompletion: true, options: { maxDownloadMinutes: 'soon' } }),
			[{}],
			/^Item 0: "Max Download Time \(Minutes\)" must be a number from 0.01 to 240, not "soon"$/,
		],
		[
			'Max Concurrent Jobs of 0',
			create({ options: { maxConcurrentJobs: 0 } }),
			[{}],
			/Item 0: "Max Concurrent Jobs" must be from 1 to 100, not 0/,
		],
		[
			'Max Concurrent Jobs of 2.5',
			create({ options: { maxConcurrentJobs: 2.5 } }),
			[{}],
			/Item 0: "Max Concurrent Jobs" must be a whole number from 1 to 100, not 2.5/,
		],
		[
			'a task id that resolves to nothing',
			retrieve('={{ $json.id }}'),
			[{ json: { id: '' } }],
			/Item 0: "Task ID" is empty/,
		],
		[
			'a task id with a slash',
			retrieve('task_1/../../v1/models'),
			[{}],
			/Item 0: "Task ID" is not a valid task id/,
		],
		['a task id of dots', retrieve('..'), [{}], /Item 0: "Task ID" is not a valid task id/],
		[
			'a task id with a query',
			retrieve('task_1?x=1'),
			[{}],
			/Item 0: "Task ID" is not a valid task id/,
		],
	];

	it.each(cases)('%s', async (_name, parameters, items, message) => {
		const result = await runOnSimulator(sim, { parameters, items });
		const error = result.nodeError('Veo');
		expect(error?.message).toMatch(message);
		expect(error?.context?.itemIndex).toBe(0);
		expect(sim.calls()).toHaveLength(0);
	});

	it('an empty literal required field is refused by n8n itself before the node runs', async () => {
		const run = runOnSimulator(sim, { parameters: retrieve('') });
		await expect(run).rejects.toThrow(/Parameter "Task ID" is required/);
		expect(sim.calls()).toHaveLength(0);
	});

	it('checks every item before sending anything: a bad third item stops the first two creates', async () => {
		const items: TestItem[] = [{ json: { p: 'one' } }, { json: { p: 'two' } }, { json: { p: '' } }];
		const result = await runOnSimulator(sim, {
			parameters: create({ prompt: '={{ $json.p }}' }),
			items,
		});
		expect(result.nodeError('Veo')?.message).toMatch(/Item 2: "Prompt" is empty/);
		expect(sim.calls()).toHaveLength(0);
	});
});
