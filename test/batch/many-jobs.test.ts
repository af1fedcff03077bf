/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test-side: the community-node rules bind the shipped node, not this */
import { defaultMaxListeners, getEventListeners } from 'node:events';
import type { INodeParameters } from 'n8n-workflow';

import { binaryBytes } from '../../dev/engine/binary-data';
import { fastRuntime } from '../../dev/engine/fast-runtime';
import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import type { TestItem } from '../../dev/engine/test-nodes';
import { runOnSimulator } from '../../dev/engine/workflows';
import type { CometApiSimulator, TaskStep } from '../../dev/simulator';

const parameters = (options: INodeParameters = {}): INodeParameters => ({
	resource: 'video',
	operation: 'create',
	prompt: '={{ $json.p }}',
	options: { pollInterval: 1, ...options },
});
const itemsFor = (count: number): TestItem[] =>
	Array.from({ length: count }, (_, i) => ({ json: { p: `clip ${i}` } }));
const steps = (polls: number): TaskStep[] => [
	...Array.from({ length: polls }, (_, i) => ({
		status: i === 0 ? 'queued' : 'in_progress',
		progress: i * 10,
	})),
	{ status: 'completed', progress: 100 },
];
// Each job's video is its own, so a mix-up between items would show.
const videoOf = (prompt: string) => Buffer.from(`video bytes of ${prompt}`);

describe('Many items: bounded concurrent jobs, input order, nothing lost', () => {
	let sim: CometApiSimulator;
	useSimulator({ binaryMode: 'filesystem' }, (started) => (sim = started));

	it('all jobs are in flight together, and each item gets its own video in input order', async () => {
		// Later items finish first: item 0 needs 3 polls, the others 1.
		sim.script((request) => ({
			steps: steps(request.fields.prompt === 'clip 0' ? 3 : 1),
			video: videoOf(request.fields.prompt),
		}));
		const result = await runOnSimulator(sim, {
			parameters: parameters(),
			items: itemsFor(4),
		});
		expect(result.nodeError('Veo')).toBeUndefined();
		expect(sim.maxJobsInFlight()).toBe(4);
		const output = result.output('Veo');
		expect(output.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		for (const [index, item] of output.entries()) {
			const create = sim.creates().find((request) => request.taskId === item.json.id)!;
			expect(create.fields.prompt).toBe(`clip ${index}`);
			expect((await binaryBytes(item.binary!.data)).equals(videoOf(`clip ${index}`))).toBe(true);
		}
	});

	it.each([1, 3])('Max Concurrent Jobs %i bounds the jobs in flight', async (limit) => {
		sim.script({ steps: steps(1) });
		const result = await runOnSimulator(sim, {
			parameters: parameters({ maxConcurrentJobs: limit }),
			items: itemsFor(6),
		});
		expect(result.output('Veo')).toHaveLength(6);
		expect(sim.creates()).toHaveLength(6);
		expect(sim.maxJobsInFlight()).toBe(limit);
	});

	it('many jobs waiting at once put no pile of listeners on one signal (no MaxListenersExceededWarning)', async () => {
		// Twelve jobs sleep out a 5-minute poll interval together. Each wait listens for the stop
		// on the signal it is given (two listeners per wait on the shipped clock); had the jobs one
		// shared signal, Node would warn of a leak in n8n's log from eleven listeners on.
		const runtime = fastRuntime();
		const { sleep } = runtime.clock;
		let most = 0;
		runtime.clock.sleep = async (ms, signal) => {
			most = Math.max(most, getEventListeners(signal, 'abort').length + 1);
			return await sleep(ms, signal);
		};
		sim.script({ steps: steps(1) });
		const result = await runOnSimulator(sim, {
			parameters: parameters({ maxConcurrentJobs: 12, pollInterval: 300 }),
			items: itemsFor(12),
			runtime,
		});
		expect(result.output('Veo').map((item) => item.binary?.data)).not.toContain(undefined);
		expect(sim.maxJobsInFlight()).toBe(12);
		expect(2 * most).toBeLessThanOrEqual(defaultMaxListeners);
	});

	it('with Continue On Fail, a failed job does not stop the others', async () => {
		sim.script((request) => ({
			steps: steps(2),
			outcome: request.fields.prompt === 'clip 1' ? 'failed' : 'completed',
		}));
		const result = await runOnSimulator(sim, {
			parameters: parameters(),
			items: itemsFor(3),
			continueOnFail: true,
		});
		const output = result.output('Veo');
		expect(
			output.map((item) => item.json.status ?? (item.json.details as { status: string }).status),
		).toEqual(['completed', 'failed', 'completed']);
		expect(output[1].json.error).toMatch(/failed/);
		expect(output[0].binary?.data).toBeDefined();
		expect(output[2].binary?.data).toBeDefined();
		const ids = output.map((item) => item.json.id ?? (item.json.details as { id: string }).id);
		expect(new Set(ids)).toEqual(new Set(sim.creates().map((request) => request.taskId)));
	});

	it('with the error output, a failed job leaves by it, its id in details; the others by the main output', async () => {
		sim.script((request) => ({
			steps: steps(2),
			outcome: request.fields.prompt === 'clip 1' ? 'failed' : 'completed',
		}));
		const result = await runOnSimulator(sim, {
			parameters: parameters(),
			items: itemsFor(3),
			errorOutput: true,
		});
		const failedId = sim.creates().find((request) => request.fields.prompt === 'clip 1')!.taskId;
		expect(result.output('Veo', 0).map((item) => item.json.status)).toEqual([
			'completed',
			'completed',
		]);
		const [failed] = result.output('Veo', 1);
		expect(failed.json).toMatchObject({
			error: expect.stringMatching(/failed/),
			details: { id: failedId, status: 'failed' },
		});
	});

	it('without it, a failure ends the waiting of the other jobs at once, and names them', async () => {
		// The others never finish: were their waiting not ended, this would run for Max Wait (15 min).
		sim.script((request) => ({
			steps: steps(2),
			outcome: request.fields.prompt === 'clip 1' ? 'failed' : 'never',
		}));
		const result = await runOnSimulator(sim, {
			parameters: parameters(),
			items: itemsFor(3),
		});
		const error = result.nodeError('Veo');
		expect(error?.message).toMatch(/failed/);
		for (const create of sim.creates()) expect(error?.description).toContain(create.taskId);
	});

	it('without it, the error names every accepted job, finished or not', async () => {
		sim.script((request) => ({
			steps: steps(2),
			outcome: request.fields.prompt === 'clip 1' ? 'failed' : 'completed',
		}));
		const result = await runOnSimulator(sim, {
			parameters: parameters(),
			items: itemsFor(3),
		});
		const error = result.nodeError('Veo');
		expect(error?.context?.itemIndex).toBe(1);
		for (const create of sim.creates()) expect(error?.description).toContain(create.taskId);
		expect(error?.description).toMatch(/item 0: task_\w+ \(completed\)/);
	});
});
