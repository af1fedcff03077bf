import type { INodeParameters } from 'n8n-workflow';

import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import { runWorkflow } from '../../dev/engine/run-workflow';
import { runOnSimulator, veoWorkflow } from '../../dev/engine/workflows';
import type { CometApiSimulator } from '../../dev/simulator';
import { startSimulator } from '../../dev/simulator';

const create: INodeParameters = {
	resource: 'video',
	operation: 'create',
	waitForCompletion: false,
	prompt: 'A red balloon',
};

describe('CometAPI errors become NodeApiError with its message and a hint; the key never shows', () => {
	let sim: CometApiSimulator;
	useSimulator({}, (started) => (sim = started));

	it('a bad key: 401 with CometAPI message, request id and a hint to check the key', async () => {
		const badKey = 'sk-not-the-right-one';
		const result = await runWorkflow(
			veoWorkflow({ apiKey: badKey, baseUrl: sim.baseUrl, parameters: create }),
		);
		const error = result.nodeError('Veo');
		expect(error?.message).toMatch(/^CometAPI error 401: .*\(request id: [^)]+\)/);
		expect(error?.description).toMatch(/Check the API key/);
		expect(error?.context?.itemIndex).toBe(0);
		expect(sim.creates()[0].headers.authorization).toBe(`Bearer ${badKey}`);
		expect(JSON.stringify(result.run)).not.toContain(badKey);
	});

	it('a 429 that outlasts the retries says CometAPI is limiting and when to retry', async () => {
		sim.fault({
			match: { method: 'POST' },
			kind: 'status',
			status: 429,
			retryAfter: '0',
			times: 10,
		});
		const result = await runOnSimulator(sim, { parameters: create });
		const error = result.nodeError('Veo');
		expect(error?.message).toMatch(/CometAPI error 429/);
		expect(error?.description).toMatch(/rate limiting.*retry after 0 s/);
		// A 429 means CometAPI did not take the job: the create was tried again, 4 times in all.
		expect(sim.creates()).toHaveLength(4);
		expect(sim.creates().every((request) => request.status === 429)).toBe(true);
	});

	it('a server that cannot be reached names the host and the code', async () => {
		const closed = await startSimulator();
		const deadUrl = closed.baseUrl;
		await closed.close();
		const result = await runWorkflow(
			veoWorkflow({ apiKey: sim.apiKey, baseUrl: deadUrl, parameters: create }),
		);
		const error = result.nodeError('Veo');
		expect(error?.message).toMatch(
			/^Could not reach CometAPI at 127\.0\.0\.1:\d+: connection refused$/,
		);
		expect(error?.description).toMatch(/ECONNREFUSED/);
		// n8n's own wrapper of this failure carries the request, headers included: it must not leak.
		expect(JSON.stringify(result.run)).not.toContain(sim.apiKey);
	});

	it('never puts the key in outputs or errors, with or without Continue On Fail', async () => {
		sim.fault({ match: { method: 'POST' }, kind: 'status', status: 500 });
		const items = [{ json: { p: 'one' } }, { json: { p: 'two' } }];
		const parameters = { ...create, prompt: '={{ $json.p }}' };
		for (const continueOnFail of [true, false]) {
			const result = await runOnSimulator(sim, {
				parameters,
				items,
				continueOnFail,
			});
			expect(JSON.stringify(result.run)).not.toContain(sim.apiKey);
		}
		expect(
			sim.creates().every((request) => request.headers.authorization === `Bearer ${sim.apiKey}`),
		).toBe(true);
	});
});
