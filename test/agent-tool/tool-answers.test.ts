import type { INodeParameters } from 'n8n-workflow';

import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import { runOnSimulator } from '../../dev/engine/workflows';
import type { CometApiSimulator } from '../../dev/simulator';
import { FAILURE_MESSAGE } from '../../dev/simulator';

// The node run as an AI Agent's tool (`cometApiVeoTool`, registered like n8n's generated
// variant: dev/engine/node-types.ts). The model gets only its items' json, so every answer
// must be the tool answer (engine/tool-answer.ts), failures included, and nothing downloaded.

/** The tool answer's keys; Create adds cost_estimate. */
const ANSWER_KEYS = ['id', 'status', 'progress', 'video_url', 'expires_at', 'failure', 'next_step'];
const sorted = (keys: string[]) => [...keys].sort();

const create = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'video',
	operation: 'create',
	prompt: 'A paper kite floats above a field',
	...extra,
	options: { pollInterval: 1, ...(extra.options as object) },
});

describe('CometAPI Veo as a tool: answers the model can read', () => {
	let sim: CometApiSimulator;
	useSimulator({ binaryMode: 'default' }, (started) => (sim = started));

	const videoRequests = () => sim.requests.filter((request) => request.server === 'video');

	it('Output "Video as Binary" answers like URL Only: the URL, when it expires, nothing downloaded', async () => {
		sim.script({ expiresAt: true });
		const result = await runOnSimulator(sim, {
			asTool: true,
			parameters: create({ waitForCompletion: true, output: 'binary' }),
		});
		expect(result.nodeError('Veo')).toBeUndefined();
		const [item] = result.output('Veo');
		const id = sim.creates()[0].taskId!;
		expect(item.binary).toBeUndefined();
		expect(item.json).toMatchObject({
			id,
			status: 'completed',
			video_url: `${sim.videoHostUrl}/videos/${id}.mp4`,
			expires_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			failure: null,
			cost_estimate: { amount: 0.4, currency: 'USD' },
		});
		expect(sorted(Object.keys(item.json))).toEqual(sorted([...ANSWER_KEYS, 'cost_estimate']));
		expect(videoRequests()).toEqual([]);
	});

	it('the same node outside an agent still downloads the video into binary', async () => {
		await runOnSimulator(sim, {
			parameters: create({ waitForCompletion: true, output: 'binary' }),
		});
		expect(videoRequests()).toHaveLength(1);
	});

	it('a start without waiting: the id, queued, the estimate, failure null, paired with its input', async () => {
		const result = await runOnSimulator(sim, {
			asTool: true,
			parameters: create({ waitForCompletion: false }),
		});
		const [item] = result.output('Veo');
		expect(item.json).toMatchObject({
			id: sim.creates()[0].taskId,
			status: 'queued',
			failure: null,
			next_step: expect.stringMatching(/check this id later/i),
		});
		expect(sorted(Object.keys(item.json))).toEqual(sorted([...ANSWER_KEYS, 'cost_estimate']));
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('Videos per Prompt above 1: each answer says which variant it is', async () => {
		const result = await runOnSimulator(sim, {
			asTool: true,
			parameters: create({ waitForCompletion: false, videosPerPrompt: 2 }),
		});
		expect(result.output('Veo').map((item) => item.json.variant)).toEqual([1, 2]);
	});

	it('a failed job is answered, not thrown: its id, status failed and the failure', async () => {
		sim.script({ outcome: 'failed', failure: 'error-object' });
		const result = await runOnSimulator(sim, {
			asTool: true,
			parameters: create({ waitForCompletion: true, output: 'url' }),
		});
		expect(result.nodeError('Veo')).toBeUndefined();
		const [item] = result.output('Veo');
		expect(item.json).toMatchObject({
			id: sim.creates()[0].taskId,
			status: 'failed',
			failure: {
				kind: 'content_refused',
				retryable: false,
				message: expect.stringContaining(FAILURE_MESSAGE),
			},
			next_step: expect.stringMatching(/rewrite the prompt/i),
		});
		expect(sorted(Object.keys(item.json))).toEqual(sorted(ANSWER_KEYS));
	});

	it('a still-running job at Max Wait: the id, and failure timed_out (check again later)', async () => {
		sim.script({ outcome: 'never' });
		const result = await runOnSimulator(sim, {
			asTool: true,
			parameters: create({
				waitForCompletion: true,
				output: 'url',
				options: { maxWaitMinutes: 0.05 },
			}),
		});
		const [item] = result.output('Veo');
		expect(item.json).toMatchObject({
			id: sim.creates()[0].taskId,
			failure: { kind: 'timed_out', retryable: true },
		});
	});

	it('the spend limit refusing a start is answered, not thrown: nothing started, the limit named', async () => {
		const result = await runOnSimulator(sim, {
			asTool: true,
			parameters: create({ waitForCompletion: false, options: { maxEstimatedSpend: 0.3 } }),
		});
		expect(result.nodeError('Veo')).toBeUndefined();
		expect(sim.creates()).toEqual([]);
		const [item] = result.output('Veo');
		expect(item.json).toMatchObject({
			id: null,
			status: 'not_started',
			failure: {
				kind: 'spend_limit',
				retryable: false,
				message: expect.stringMatching(/is over Max Estimated Spend per Execution \(0\.3\)/),
			},
		});
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('the same refusal outside an agent still fails the node', async () => {
		const result = await runOnSimulator(sim, {
			parameters: create({ waitForCompletion: false, options: { maxEstimatedSpend: 0.3 } }),
		});
		expect(result.nodeError('Veo')?.message).toMatch(/Max Estimated Spend per Execution \(0\.3\)/);
	});

	it('bad input is answered with the item and the field, before anything is sent', async () => {
		const result = await runOnSimulator(sim, {
			asTool: true,
			parameters: create({ prompt: '={{ $json.p }}' }),
			items: [{ json: { p: '   ' } }],
		});
		expect(sim.creates()).toEqual([]);
		const [item] = result.output('Veo');
		expect(item.json).toMatchObject({
			id: null,
			status: 'not_started',
			failure: { kind: 'invalid_request', retryable: false },
		});
		expect(String((item.json.failure as { message: string }).message)).toMatch(/prompt/i);
	});
});
