import type { INodeParameters } from 'n8n-workflow';

import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import { runWorkflow } from '../../dev/engine/run-workflow';
import { veoWorkflow } from '../../dev/engine/workflows';
import type { CometApiSimulator } from '../../dev/simulator';

const create: INodeParameters = {
	resource: 'video',
	operation: 'create',
	waitForCompletion: false,
	prompt: 'A red balloon',
};

describe("The credential's Base URL: checked before any request, and a wrong one says so", () => {
	let sim: CometApiSimulator;
	useSimulator({}, (started) => (sim = started));

	it('a wrong Base URL answered by a 301 HTML page says to check the Base URL', async () => {
		const result = await runWorkflow(
			veoWorkflow({ apiKey: sim.apiKey, baseUrl: `${sim.baseUrl}/wrong`, parameters: create }),
		);
		const error = result.nodeError('Veo');
		expect(error?.message).toMatch(/redirect \(HTTP 301\)/);
		expect(error?.description).toMatch(/Base URL/);
		// The redirect was not followed: one request, and nothing reached any other path.
		expect(sim.calls()).toHaveLength(1);
	});

	it('a Base URL that is no URL fails before any request, naming the field', async () => {
		const result = await runWorkflow(
			veoWorkflow({ apiKey: sim.apiKey, baseUrl: 'api.cometapi.com', parameters: create }),
		);
		expect(result.nodeError('Veo')?.message).toBe(
			'The "Base URL" of the CometAPI Veo credential is not an http(s) URL: "api.cometapi.com"',
		);
		expect(sim.calls()).toHaveLength(0);
	});
});

describe('A credential whose Base URL is not a URL', () => {
	it('with Continue On Fail, every item carries the error; nothing is sent', async () => {
		const result = await runWorkflow(
			veoWorkflow({
				apiKey: 'sk-any',
				baseUrl: 'not a url',
				items: [{ json: {} }, { json: {} }],
				continueOnFail: true,
				parameters: { resource: 'video', operation: 'create', prompt: 'A kite' },
			}),
		);
		const output = result.output('Veo');
		expect(output).toHaveLength(2);
		for (const [index, item] of output.entries()) {
			expect(item.json.error).toBe(
				'The "Base URL" of the CometAPI Veo credential is not an http(s) URL: "not a url"',
			);
			expect(item.pairedItem).toEqual({ item: index });
		}
	});

	it('without it, the node fails with that error', async () => {
		const result = await runWorkflow(
			veoWorkflow({
				apiKey: 'sk-any',
				baseUrl: 'ftp://example',
				parameters: { resource: 'video', operation: 'create', prompt: 'A kite' },
			}),
		);
		expect(result.nodeError('Veo')?.message).toBe(
			'The "Base URL" of the CometAPI Veo credential is not an http(s) URL: "ftp://example"',
		);
	});
});
