import type { IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { fastRuntime } from '../../dev/engine/fast-runtime';
import { CometApiVeoWithRuntime, useNodeTypes } from '../../dev/engine/node-types';
import { startWorkflow } from '../../dev/engine/run-workflow';
import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import { veoWorkflow } from '../../dev/engine/workflows';
import type { CometApiSimulator } from '../../dev/simulator';

// The `stopped` kind. n8n discards the error of a node whose execution was stopped, so the
// shipped node is wrapped here to keep what its run threw: the one place the kind is carried.

const RECORDING_TYPE = 'test.recordingVeo';
const thrown: Array<Error & { description?: string; context?: Record<string, unknown> }> = [];

class RecordingVeo extends CometApiVeoWithRuntime {
	constructor() {
		super(fastRuntime());
		const execute = this.execute!;
		this.execute = async function (this: IExecuteFunctions) {
			try {
				return await execute.call(this);
			} catch (error) {
				thrown.push(error as Error);
				return await Promise.reject(error);
			}
		};
	}
}
useNodeTypes({ [RECORDING_TYPE]: new RecordingVeo() });

/** Waits (bounded) until the check holds; a test never depends on how long that takes. */
async function until(check: () => boolean): Promise<void> {
	for (let tick = 0; tick < 1000 && !check(); tick++) await sleep(10);
	expect(check()).toBe(true);
}

describe('Typed outcomes: a stopped execution', () => {
	let sim: CometApiSimulator;
	useSimulator({}, (started) => (sim = started));
	beforeEach(() => (thrown.length = 0));

	it('the node ends with kind stopped, retryable, and names the job CometAPI accepted', async () => {
		sim.script({ outcome: 'never' });
		const definition = veoWorkflow({
			apiKey: sim.apiKey,
			baseUrl: sim.baseUrl,
			parameters: {
				resource: 'video',
				operation: 'create',
				prompt: 'A storm over the sea',
				output: 'url',
				options: { pollInterval: 1 },
			},
		});
		definition.nodes[1].type = RECORDING_TYPE;
		const started = startWorkflow(definition);
		const isPoll = (path: string) => /^\/v1\/videos\/task_\w+$/.test(path);
		await until(() => sim.calls().some((request) => isPoll(request.path)));
		started.cancel();
		const { run } = await started.done;
		expect(run.status).toBe('canceled');
		// n8n ends a stopped execution at once; the node finishes its own run just after.
		await until(() => thrown.length > 0);
		const [error] = thrown;
		expect(error.context?.failure).toEqual({
			kind: 'stopped',
			retryable: true,
			message: 'The execution was stopped',
		});
		const id = sim.creates()[0].taskId!;
		// Its status is the one last read: queued or in_progress, as the simulator's clock had it.
		expect(error.description).toMatch(new RegExp(`item 0: ${id} \\((queued|in_progress)\\)`));
	});
});
