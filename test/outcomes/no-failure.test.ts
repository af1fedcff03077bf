import type { INodeParameters } from 'n8n-workflow';

import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import { runOnSimulator } from '../../dev/engine/workflows';
import type { CometApiSimulator } from '../../dev/simulator';

const create = (extra: INodeParameters = {}, options: INodeParameters = {}): INodeParameters => ({
	resource: 'video',
	operation: 'create',
	prompt: 'A storm over the sea',
	...extra,
	options: { pollInterval: 1, ...options },
});

describe('Typed outcomes: an item that did not fail says failure: null', () => {
	let sim: CometApiSimulator;
	useSimulator({ binaryMode: 'default' }, (started) => (sim = started));

	it('a delivered video', async () => {
		const result = await runOnSimulator(sim, { parameters: create() });
		const [item] = result.output('Veo');
		expect(item.json.status).toBe('completed');
		expect(item.binary).toBeDefined();
		expect(item.json).toHaveProperty('failure', null);
	});

	it('a Create without waiting', async () => {
		const result = await runOnSimulator(sim, { parameters: create({ waitForCompletion: false }) });
		const [item] = result.output('Veo');
		expect(item.json.status).toBe('queued');
		expect(item.json).toHaveProperty('failure', null);
	});

	it('On Timeout "return": the item is not an error, and its failure is timed_out', async () => {
		sim.script({ outcome: 'never' });
		const result = await runOnSimulator(sim, { parameters: create({}, { maxWaitMinutes: 0.03 }) });
		const [item] = result.output('Veo');
		const id = sim.creates()[0].taskId!;
		expect(item.json).toMatchObject({ id, timed_out: true });
		expect(item.json.failure).toEqual({
			kind: 'timed_out',
			retryable: true,
			message: `Task ${id} did not finish within 0.03 minutes (last status: in_progress)`,
		});
	});
});
