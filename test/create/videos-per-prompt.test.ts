import type { INodeParameters } from 'n8n-workflow';

import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import type { TestItem } from '../../dev/engine/test-nodes';
import { runOnSimulator } from '../../dev/engine/workflows';
import type { CometApiSimulator } from '../../dev/simulator';

const create = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'video',
	operation: 'create',
	prompt: '={{ $json.p }}',
	output: 'url',
	videosPerPrompt: 3,
	...extra,
});
const items = (...prompts: string[]): TestItem[] => prompts.map((p) => ({ json: { p } }));

describe('Videos per Prompt: several takes of one prompt, each its own job and output item', () => {
	let sim: CometApiSimulator;
	useSimulator({}, (started) => (sim = started));
	const run = async (parameters: INodeParameters, input: TestItem[], continueOnFail = false) =>
		await runOnSimulator(sim, {
			parameters,
			items: input,
			continueOnFail,
		});

	it('three videos of one item: three creates, three items paired to it, variants 1 to 3, in order', async () => {
		const result = await run(create(), items('a kite'));
		expect(result.nodeError('Veo')).toBeUndefined();
		const output = result.output('Veo');
		expect(sim.creates()).toHaveLength(3);
		expect(sim.creates().every((request) => request.fields.prompt === 'a kite')).toBe(true);
		expect(output.map((item) => [item.json.variant, item.pairedItem])).toEqual([
			[1, { item: 0 }],
			[2, { item: 0 }],
			[3, { item: 0 }],
		]);
		expect(new Set(output.map((item) => item.json.id)).size).toBe(3);
		expect(output.every((item) => item.json.status === 'completed')).toBe(true);
	});

	it('two items with two videos each keep input order, then variant order; one video is variant 1', async () => {
		const result = await run(
			create({ videosPerPrompt: '={{ $json.p === "sea" ? 2 : 1 }}' }),
			items('sea', 'sky'),
		);
		const output = result.output('Veo');
		expect(output.map((item) => [item.pairedItem, item.json.variant])).toEqual([
			[{ item: 0 }, 1],
			[{ item: 0 }, 2],
			[{ item: 1 }, 1],
		]);
		const promptOf = (id: unknown) =>
			sim.creates().find((request) => request.taskId === id)?.fields.prompt;
		expect(output.map((item) => promptOf(item.json.id))).toEqual(['sea', 'sea', 'sky']);
	});

	it('videos count against Max Concurrent Jobs', async () => {
		await run(create({ videosPerPrompt: 4, options: { maxConcurrentJobs: 2 } }), items('waves'));
		expect(sim.creates()).toHaveLength(4);
		expect(sim.maxJobsInFlight()).toBe(2);
	});

	it('with Continue On Fail a failed video is its own error item with its id and variant; the others go on', async () => {
		let count = 0;
		sim.script(() => ({ outcome: ++count === 2 ? 'failed' : 'completed' }));
		const output = (await run(create(), items('storm'), true)).output('Veo');
		const failedId = sim.creates()[1].taskId;
		expect(output).toHaveLength(3);
		const failed = output.find((item) => item.json.error)!;
		expect(failed.json.details).toMatchObject({
			id: failedId,
			status: 'failed',
			variant: expect.any(Number),
		});
		expect(output.filter((item) => item.json.status === 'completed')).toHaveLength(2);
		expect(
			output.every((item) => item.pairedItem && (item.pairedItem as { item: number }).item === 0),
		).toBe(true);
	});

	it('without it, the error names every accepted video of the item', async () => {
		let count = 0;
		sim.script(() => ({ outcome: ++count === 1 ? 'failed' : 'never' }));
		const error = (await run(create({ options: { pollInterval: 1 } }), items('fog'))).nodeError(
			'Veo',
		);
		expect(error?.message).toMatch(/failed/);
		for (const request of sim.creates()) expect(error?.description).toContain(request.taskId);
		expect(error?.description).toMatch(/item 0 video [123]: task_/);
	});

	it('an image URL is fetched once for all the videos of its item', async () => {
		await run(
			create({
				frames: 'single',
				imageSource: 'url',
				imageUrl: `${sim.videoHostUrl}/images/first-frame.png`,
				waitForCompletion: false,
			}),
			items('a product'),
		);
		expect(sim.creates()).toHaveLength(3);
		expect(sim.creates().every((request) => request.files.length === 1)).toBe(true);
		expect(sim.calls().filter((request) => request.server === 'video')).toHaveLength(1);
	});

	it.each([0, 5, 2.5])('%s videos is refused before any request', async (videosPerPrompt) => {
		const error = (await run(create({ videosPerPrompt }), items('x'))).nodeError('Veo');
		expect(error?.message).toMatch(/^Item 0: "Videos per Prompt" must be/);
		expect(sim.calls()).toHaveLength(0);
	});
});

describe('Additional Fields: sent to CometAPI as they are', () => {
	let sim: CometApiSimulator;
	useSimulator({}, (started) => (sim = started));
	const withFields = (fields: Array<{ name: unknown; value: unknown }>): INodeParameters => ({
		resource: 'video',
		operation: 'create',
		waitForCompletion: false,
		prompt: 'A lantern festival',
		additionalFields: { field: fields } as never,
	});
	const run = async (parameters: INodeParameters) => await runOnSimulator(sim, { parameters });

	it("each name and value becomes a multipart field beside the node's own", async () => {
		const result = await run(
			withFields([
				{ name: 'negative_prompt', value: 'blur' },
				{ name: 'seed', value: '42' },
			]),
		);
		expect(result.nodeError('Veo')).toBeUndefined();
		expect(sim.creates()[0].fields).toMatchObject({
			prompt: 'A lantern festival',
			negative_prompt: 'blur',
			seed: '42',
		});
	});

	it.each(['prompt', 'Model', 'size', 'seconds', 'input_reference'])(
		'"%s" is a field the node sends itself: refused before any request',
		async (name) => {
			const error = (await run(withFields([{ name, value: 'x' }]))).nodeError('Veo');
			expect(error?.message).toBe(
				`Item 0: "Additional Fields 1 Name" "${name}" is a field the node sends itself`,
			);
			expect(sim.calls()).toHaveLength(0);
		},
	);

	it("CometAPI's 400 for a field it does not know surfaces with its message", async () => {
		sim.fault({
			match: { method: 'POST', path: /^\/v1\/videos$/ },
			kind: 'status',
			status: 400,
			body: '{"error":{"message":"unknown field: warp_speed","type":"comet_api_error","code":"invalid_request"}}',
		});
		const error = (await run(withFields([{ name: 'warp_speed', value: '9' }]))).nodeError('Veo');
		expect(error?.message).toBe('CometAPI error 400: unknown field: warp_speed');
		expect(sim.creates()[0].fields.warp_speed).toBe('9');
	});
});
