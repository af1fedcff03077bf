import type { INodeParameters } from 'n8n-workflow';

import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import type { TestItem } from '../../dev/engine/test-nodes';
import { runOnSimulator } from '../../dev/engine/workflows';
import type { CometApiSimulator } from '../../dev/simulator';

const parameters: INodeParameters = {
	resource: 'video',
	operation: 'create',
	waitForCompletion: false,
	prompt: '={{ $json.p }}',
};
const items: TestItem[] = [
	{ json: { p: 'a fox' } },
	{ json: { p: '' } },
	{ json: { p: 'a crow' } },
	{ json: { p: 'an owl' } },
];

describe('Several items, with and without Continue On Fail', () => {
	let sim: CometApiSimulator;
	useSimulator({}, (started) => (sim = started));

	it('gives a bad item an error and lets the others run, in input order with pairedItem', async () => {
		sim.fault({ match: { method: 'POST', path: /^\/v1\/videos$/ }, kind: 'status', status: 400 });
		const result = await runOnSimulator(sim, {
			parameters,
			items,
			continueOnFail: true,
		});
		const output = result.output('Veo');
		expect(output.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		// item 0 met the injected 400, item 1 never left (empty prompt), items 2 and 3 were created
		expect(output[0].json.error).toMatch(/CometAPI error 400/);
		expect(output[1].json.error).toMatch(/Item 1: "Prompt" is empty/);
		const created = sim.creates().filter((request) => request.status === 200);
		expect(created.map((request) => request.fields.prompt)).toEqual(['a crow', 'an owl']);
		expect(output[2].json.id).toBe(created[0].taskId);
		expect(output[3].json.id).toBe(created[1].taskId);
		expect(sim.creates()).toHaveLength(3);
	});

	// CometAPI refuses the unknown size of item 1 with a 400.
	const sized: TestItem[] = [
		{ json: { p: 'a fox', size: '16x9' } },
		{ json: { p: 'a crow', size: '7x7' } },
		{ json: { p: 'an owl', size: '16x9' } },
	];
	const sizedParameters = { ...parameters, size: '={{ $json.size }}' };

	it('without it, one job at a time: stops at the failure and names the job already accepted', async () => {
		const result = await runOnSimulator(sim, {
			parameters: { ...sizedParameters, options: { maxConcurrentJobs: 1 } },
			items: sized,
		});
		const error = result.nodeError('Veo');
		const [accepted, refused] = sim.creates();
		expect(refused.status).toBe(400);
		expect(sim.creates()).toHaveLength(2);
		expect(error?.message).toMatch(/CometAPI error 400/);
		expect(error?.context?.itemIndex).toBe(1);
		expect(error?.description).toContain(`item 0: ${accepted.taskId} (queued)`);
	});

	it('without it, jobs already running finish and every accepted id is named', async () => {
		const result = await runOnSimulator(sim, {
			parameters: sizedParameters,
			items: sized,
		});
		const error = result.nodeError('Veo');
		const accepted = sim.creates().filter((request) => request.status === 200);
		expect(accepted.map((request) => request.fields.prompt).sort()).toEqual(['a fox', 'an owl']);
		for (const request of accepted) expect(error?.description).toContain(request.taskId);
		expect(error?.context?.itemIndex).toBe(1);
	});
});
