/* eslint-disable @typescript-eslint/no-require-imports -- test: loads n8n's built-in Loop Over Items node */
import type {
	IDataObject,
	INode,
	INodeParameters,
	INodeType,
	IVersionedNodeType,
	ITaskData,
} from 'n8n-workflow';

import { ITEMS_NODE_TYPE, useNodeTypes, VEO_NODE_TYPE } from '../../dev/engine/node-types';
import type { WorkflowDefinition, WorkflowRun } from '../../dev/engine/run-workflow';
import { runWorkflow } from '../../dev/engine/run-workflow';
import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import type { TestItem } from '../../dev/engine/test-nodes';
import type { CometApiSimulator } from '../../dev/simulator';

// The spend limit bounds every run of the node in one execution, not each run on its own. The
// default model (veo3-fast) is estimated at 0.4 USD a video by the simulator's catalogue.

const LOOP_TYPE = 'n8n-nodes-base.splitInBatches';
const CREATE = { method: 'POST', path: /^\/v1\/videos$/ };

useNodeTypes({
	[LOOP_TYPE]: new (
		require('n8n-nodes-base/dist/nodes/SplitInBatches/SplitInBatches.node') as {
			SplitInBatches: new () => INodeType | IVersionedNodeType;
		}
	).SplitInBatches(),
});

const items = (prefix: string, count: number): TestItem[] =>
	Array.from({ length: count }, (_, i) => ({ json: { p: `${prefix} ${i}` } }));

const create = (options: INodeParameters, extra: INodeParameters = {}): INodeParameters => ({
	resource: 'video',
	operation: 'create',
	prompt: '={{ $json.p }}',
	waitForCompletion: false,
	...extra,
	options,
});

function itemsNode(name: string, content: TestItem[], x: number): INode {
	return {
		id: name,
		name,
		type: ITEMS_NODE_TYPE,
		typeVersion: 1,
		position: [x, 0],
		parameters: { items: JSON.stringify(content) },
	};
}

function veoNode(parameters: INodeParameters, settings: Partial<INode> = {}): INode {
	return {
		id: 'veo',
		name: 'Veo',
		type: VEO_NODE_TYPE,
		typeVersion: 1,
		position: [600, 0],
		parameters,
		credentials: { cometApiVeoApi: { id: '1', name: 'CometAPI Veo account' } },
		...settings,
	};
}

/** The Veo node's runs in this execution, in order. */
const veoRuns = (result: WorkflowRun): ITaskData[] => result.run.data.resultData.runData.Veo ?? [];

describe('Max Estimated Spend per Execution bounds every run of the node in one execution', () => {
	let sim: CometApiSimulator;
	useSimulator({}, (started) => (sim = started));
	const credentials = () => ({ cometApiVeoApi: { apiKey: sim.apiKey, baseUrl: sim.baseUrl } });

	/** Items -> Loop Over Items (batch size 1) -> Veo -> back into the loop: one Veo run per item. */
	const loop = (content: TestItem[], veo: INode): WorkflowDefinition => ({
		nodes: [
			itemsNode('Items', content, 0),
			{
				id: 'loop',
				name: 'Loop Over Items',
				type: LOOP_TYPE,
				typeVersion: 3,
				position: [300, 0],
				parameters: { batchSize: 1, options: {} },
			},
			veo,
		],
		connections: {
			Items: { main: [[{ node: 'Loop Over Items', type: 'main', index: 0 }]] },
			// Output 0 is "done", output 1 "loop".
			'Loop Over Items': { main: [[], [{ node: 'Veo', type: 'main', index: 0 }]] },
			Veo: { main: [[{ node: 'Loop Over Items', type: 'main', index: 0 }]] },
		},
		credentials: credentials(),
	});

	/** Start -> A and Start -> B, both into Veo: Veo runs once for A's items and once for B's. */
	const twoBatches = (a: TestItem[], b: TestItem[], veo: INode): WorkflowDefinition => ({
		nodes: [itemsNode('Start', [{}], 0), itemsNode('A', a, 200), itemsNode('B', b, 200), veo],
		connections: {
			Start: {
				main: [
					[
						{ node: 'A', type: 'main', index: 0 },
						{ node: 'B', type: 'main', index: 0 },
					],
				],
			},
			A: { main: [[{ node: 'Veo', type: 'main', index: 0 }]] },
			B: { main: [[{ node: 'Veo', type: 'main', index: 0 }]] },
		},
		credentials: credentials(),
	});

	it('in a loop, the run that would pass the limit is refused and sends nothing', async () => {
		// 0.4 + 0.4 fit under 1; the third video would make 1.2.
		const result = await runWorkflow(
			loop(items('loop', 3), veoNode(create({ maxEstimatedSpend: 1 }))),
		);
		const runs = veoRuns(result);
		expect(runs).toHaveLength(3);
		expect(runs.slice(0, 2).map((run) => run.error)).toEqual([undefined, undefined]);
		expect(runs[2].error?.message).toBe(
			'The estimated spend of this run, 0.4 USD for 1 video of 1 item, with 0.8 USD already estimated for earlier runs of this node in this execution (1.2 USD in all), is over Max Estimated Spend per Execution (1)',
		);
		expect(runs[2].error?.description).toMatch(/a new execution starts again from 0/);
		expect(sim.creates().map((request) => request.fields.prompt)).toEqual(['loop 0', 'loop 1']);
	});

	it('the same loop without the limit sends every create', async () => {
		const result = await runWorkflow(loop(items('loop', 3), veoNode(create({}))));
		expect(veoRuns(result).map((run) => run.error)).toEqual([undefined, undefined, undefined]);
		expect(sim.creates()).toHaveLength(3);
	});

	it('a new execution starts from 0: the same loop run again sends its two creates again', async () => {
		const veo = veoNode(create({ maxEstimatedSpend: 1 }));
		await runWorkflow(loop(items('loop', 3), veo));
		await runWorkflow(loop(items('loop', 3), veo));
		expect(sim.creates()).toHaveLength(4);
	});

	it('with two input batches, the second is refused once the sum would pass the limit', async () => {
		// Each batch is 2 videos, 0.8 USD: together 1.6, over 1.
		const result = await runWorkflow(
			twoBatches(items('a', 2), items('b', 2), veoNode(create({ maxEstimatedSpend: 1 }))),
		);
		const runs = veoRuns(result);
		expect(runs).toHaveLength(2);
		expect(runs[0].error).toBeUndefined();
		expect(runs[1].error?.message).toBe(
			'The estimated spend of this run, 0.8 USD for 2 videos of 2 items, with 0.8 USD already estimated for earlier runs of this node in this execution (1.6 USD in all), is over Max Estimated Spend per Execution (1)',
		);
		expect(sim.creates()).toHaveLength(2);
	});

	it('the same two batches without the limit send all four creates', async () => {
		const result = await runWorkflow(twoBatches(items('a', 2), items('b', 2), veoNode(create({}))));
		expect(veoRuns(result).map((run) => run.error)).toEqual([undefined, undefined]);
		expect(sim.creates()).toHaveLength(4);
	});

	it('a create CometAPI refused gives its share back: the later runs still fit', async () => {
		// 3 runs of 0.4 against 0.8: the first is refused (400), so the other two fit.
		sim.fault({ match: CREATE, kind: 'status', status: 400, times: 1 });
		const result = await runWorkflow(
			loop(
				items('loop', 3),
				veoNode(create({ maxEstimatedSpend: 0.8 }), { onError: 'continueRegularOutput' }),
			),
		);
		const runs = veoRuns(result);
		expect(runs.map((run) => run.error)).toEqual([undefined, undefined, undefined]);
		expect(runs[0].data?.main[0]?.[0]?.json.error).toMatch(/^CometAPI error 400/);
		expect(sim.creates()).toHaveLength(3);
		expect(sim.creates().filter((request) => request.taskId)).toHaveLength(2);
	});

	it('an image that could not be fetched gives its share back: nothing was sent for it', async () => {
		const imageUrl = `={{ $json.p === "loop 0" ? "${sim.videoHostUrl}/missing.png" : "" }}`;
		const result = await runWorkflow(
			loop(
				items('loop', 3),
				veoNode(
					create(
						{ maxEstimatedSpend: 0.8 },
						// The first item's frame is a URL that answers 404; the others have none.
						{
							frames: '={{ $json.p === "loop 0" ? "single" : "none" }}',
							imageSource: 'url',
							imageUrl,
						},
					),
					{ onError: 'continueRegularOutput' },
				),
			),
		);
		const runs = veoRuns(result);
		expect(runs.map((run) => run.error)).toEqual([undefined, undefined, undefined]);
		expect(runs[0].data?.main[0]?.[0]?.json.error).toMatch(/404/);
		expect(sim.creates().map((request) => request.fields.prompt)).toEqual(['loop 1', 'loop 2']);
	});

	it('a create in doubt keeps its share: it may be billed', async () => {
		// The first create is accepted and then answered 500: maybe a job, so 0.4 stays used.
		sim.fault({ match: CREATE, kind: 'accept-then-500', times: 1 });
		const result = await runWorkflow(
			loop(
				items('loop', 3),
				veoNode(create({ maxEstimatedSpend: 0.8 }), { onError: 'continueRegularOutput' }),
			),
		);
		// With Continue On Fail the third run's refusal is its item's error, typed spend_limit.
		const third = veoRuns(result)[2].data?.main[0]?.[0]?.json as IDataObject;
		expect(third.error).toMatch(
			/with 0\.8 USD already estimated for earlier runs of this node in this execution/,
		);
		expect((third.details as IDataObject).failure).toMatchObject({ kind: 'spend_limit' });
		expect(sim.creates()).toHaveLength(2);
	});

	it('jobs a stopped batch never started give their share back (Retry On Fail runs the node again)', async () => {
		// Attempt 1 reserves 0.8; its first create is refused, which stops the batch before the
		// second starts: both shares go back, so n8n's retry of the node fits under 0.8 again.
		sim.fault({ match: CREATE, kind: 'status', status: 400, times: 1 });
		const result = await runWorkflow({
			nodes: [
				itemsNode('Items', items('retry', 2), 0),
				veoNode(create({ maxEstimatedSpend: 0.8, maxConcurrentJobs: 1 }), {
					retryOnFail: true,
					maxTries: 2,
				}),
			],
			connections: { Items: { main: [[{ node: 'Veo', type: 'main', index: 0 }]] } },
			credentials: credentials(),
		});
		const runs = veoRuns(result);
		expect(runs).toHaveLength(1);
		expect(runs[0].error).toBeUndefined();
		expect(sim.creates().map((request) => request.fields.prompt)).toEqual([
			'retry 0',
			'retry 0',
			'retry 1',
		]);
	});
});
