import type { INodeParameters } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import { startWorkflow } from '../../dev/engine/run-workflow';
import { runOnSimulator, veoWorkflow } from '../../dev/engine/workflows';
import type { CometApiSimulator } from '../../dev/simulator';
import { FAILURE_MESSAGE } from '../../dev/simulator';

const create = (options: INodeParameters = {}): INodeParameters => ({
	resource: 'video',
	operation: 'create',
	prompt: 'A storm over the sea',
	options: { pollInterval: 1, ...options },
});

/** Resolves once the simulator has seen `count` requests matching `test` (no fixed delay). */
async function until(
	sim: CometApiSimulator,
	count: number,
	test: (path: string) => boolean,
): Promise<void> {
	for (
		let i = 0;
		i < 200 && sim.calls().filter((request) => test(request.path)).length < count;
		i++
	) {
		await sleep(25);
	}
}

describe('Waiting: failures, timeouts and cancellation never lose the job id', () => {
	let sim: CometApiSimulator;
	useSimulator({ binaryMode: 'default' }, (started) => (sim = started));

	it('a failed task is a NodeApiError quoting CometAPI reason and the task id', async () => {
		sim.script({ outcome: 'failed', failure: 'fail_reason' });
		const result = await runOnSimulator(sim, { parameters: create() });
		const id = sim.creates()[0].taskId!;
		const error = result.nodeError('Veo');
		expect(error?.message).toBe(`CometAPI task ${id} failed: ${FAILURE_MESSAGE}`);
		expect(error?.description).toContain(id);
	});

	it.each(['error-object', 'error-string', 'status-error'] as const)(
		'with Continue On Fail a failed task (%s) is an error item with its id and status',
		async (failure) => {
			sim.script({ outcome: 'failed', failure });
			const result = await runOnSimulator(sim, {
				parameters: create(),
				continueOnFail: true,
			});
			const [item] = result.output('Veo');
			expect(item.json).toEqual({
				error: expect.stringContaining(FAILURE_MESSAGE),
				details: expect.objectContaining({
					id: sim.creates()[0].taskId,
					status: 'failed',
					error: FAILURE_MESSAGE,
				}),
			});
			expect(item.pairedItem).toEqual({ item: 0 });
		},
	);

	it('On Timeout "return": the unfinished task comes out with its id and last status', async () => {
		sim.script({ outcome: 'never' });
		const result = await runOnSimulator(sim, {
			parameters: create({ maxWaitMinutes: 0.03 }),
		});
		expect(result.nodeError('Veo')).toBeUndefined();
		const [item] = result.output('Veo');
		expect(item.json).toMatchObject({
			id: sim.creates()[0].taskId,
			status: 'in_progress',
			timed_out: true,
		});
		expect(item.binary).toBeUndefined();
	});

	it('Poll Interval is used: two polls a second apart fit in a 3 s Max Wait (the 10 s default would not)', async () => {
		const result = await runOnSimulator(sim, {
			parameters: create({ maxWaitMinutes: 0.05, onTimeout: 'error' }),
		});
		expect(result.nodeError('Veo')).toBeUndefined();
		expect(result.output('Veo')[0].json.status).toBe('completed');
	});

	it('On Timeout "error": the error names the task id', async () => {
		sim.script({ outcome: 'never' });
		const result = await runOnSimulator(sim, {
			parameters: create({ maxWaitMinutes: 0.03, onTimeout: 'error' }),
		});
		const id = sim.creates()[0].taskId!;
		expect(result.nodeError('Veo')?.message).toBe(
			`Task ${id} did not finish within 0.03 minutes (last status: in_progress)`,
		);
	});

	it('stopping the execution ends polling at once', async () => {
		sim.script({ outcome: 'never' });
		const started = startWorkflow(
			veoWorkflow({ apiKey: sim.apiKey, baseUrl: sim.baseUrl, parameters: create() }),
		);
		const isPoll = (path: string) => /^\/v1\/videos\/task_\w+$/.test(path);
		await until(sim, 1, isPoll);
		started.cancel();
		const polls = () => sim.calls().filter((request) => isPoll(request.path)).length;
		const atStop = polls();
		const { run } = await started.done;
		expect(run.status).toBe('canceled');
		// A poll already on its way when Stop came may still reach the simulator (n8n ends the
		// execution at once, the node a moment later); none may start after it. Had polling gone
		// on, a poll every 10 ms (1 s on the node's fast clock) would show up in each window.
		await sleep(300);
		const settled = polls();
		expect(settled).toBeLessThanOrEqual(atStop + 1);
		await sleep(300);
		expect(polls()).toBe(settled);
	});

	it.each([
		[{ pollInterval: 0.5 }, /"Poll Interval \(Seconds\)" must be from 1 to 3600, not 0.5/],
		[{ maxWaitMinutes: 0 }, /"Max Wait \(Minutes\)" must be from 0.01 to 1440, not 0/],
		[{ binaryPropertyName: ' ' }, /"Binary Property" is empty/],
	])('bad waiting options %j fail before any request', async (options, message) => {
		const result = await runOnSimulator(sim, { parameters: create(options) });
		expect(result.nodeError('Veo')?.message).toMatch(message);
		expect(sim.calls()).toHaveLength(0);
	});
});
