import type { CometApiSimulator } from '../../dev/simulator';
import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import { runOnSimulator } from '../../dev/engine/workflows';

describe('Create: text to video, through the n8n engine', () => {
	let sim: CometApiSimulator;
	useSimulator({}, (started) => (sim = started));

	it('sends prompt, model and size as multipart fields with the Bearer key, and outputs the task', async () => {
		const result = await runOnSimulator(sim, {
			parameters: {
				resource: 'video',
				operation: 'create',
				waitForCompletion: false,
				prompt: 'A paper kite floats above a field.',
				model: { __rl: true, mode: 'list', value: 'veo3.1-fast' },
				size: '9x16',
			},
		});
		expect(result.nodeError('Veo')).toBeUndefined();
		const [create] = sim.creates();
		expect(create.headers.authorization).toBe(`Bearer ${sim.apiKey}`);
		expect(create.fields).toEqual({
			prompt: 'A paper kite floats above a field.',
			model: 'veo3.1-fast',
			size: '9x16',
		});
		expect(create.files).toHaveLength(0);

		const [item] = result.output('Veo');
		const task = sim.tasks.get(create.taskId!)!;
		expect(item.json).toMatchObject({
			id: task.id,
			status: 'queued',
			size: '9x16',
			model: task.model,
		});
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('sends seconds only when set, and the default model when none is picked', async () => {
		const result = await runOnSimulator(sim, {
			parameters: {
				resource: 'video',
				operation: 'create',
				waitForCompletion: false,
				prompt: 'Rain on a window',
				seconds: '6',
			},
		});
		expect(result.nodeError('Veo')).toBeUndefined();
		expect(sim.creates()[0].fields).toEqual({
			prompt: 'Rain on a window',
			model: 'veo3-fast',
			size: '16x9',
			seconds: '6',
		});
		expect(result.output('Veo')[0].json.seconds).toBe('6');
	});

	it('takes any alias typed by the user, and one task per item', async () => {
		const result = await runOnSimulator(sim, {
			items: [{ json: { p: 'one' } }, { json: { p: 'two' } }],
			parameters: {
				resource: 'video',
				operation: 'create',
				waitForCompletion: false,
				prompt: '={{ $json.p }}',
				model: { __rl: true, mode: 'id', value: 'veo3.2-experimental' },
			},
		});
		expect(sim.creates().map((request) => [request.fields.prompt, request.fields.model])).toEqual([
			['one', 'veo3.2-experimental'],
			['two', 'veo3.2-experimental'],
		]);
		const output = result.output('Veo');
		expect(output.map((item) => item.json.id)).toEqual(
			sim.creates().map((request) => request.taskId),
		);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});
