import type { INodeParameters } from 'n8n-workflow';

import { CATALOGUE_FAILURE_TTL_MS } from '../../nodes/CometApiVeo/cometapi/catalogue';
import type { Runtime } from '../../nodes/CometApiVeo/transport/runtime';
import { CATALOGUE_READ_MS } from '../../nodes/CometApiVeo/transport/runtime';
import { fastRuntime } from '../../dev/engine/fast-runtime';
import type { RawServer } from '../../dev/engine/raw-server';
import { sendJson, startRawServer, writeDrip } from '../../dev/engine/raw-server';
import { runWorkflow } from '../../dev/engine/run-workflow';
import { veoWorkflow } from '../../dev/engine/workflows';

const API_KEY = 'sk-catalogue-test';

/** The node's runtime with the shipped catalogue bound, and a hand that can move its clock on. */
function catalogueRuntime(): Runtime & { skip(ms: number): void } {
	const base = fastRuntime({ catalogueReadMs: CATALOGUE_READ_MS });
	let skipped = 0;
	return {
		...base,
		clock: { now: () => base.clock.now() + skipped, sleep: base.clock.sleep },
		skip: (ms) => (skipped += ms),
	};
}

describe('A catalogue that sends its headers and then drips is cut at the bound, and the failure is kept a while', () => {
	let api: RawServer;
	beforeAll(async () => {
		api = await startRawServer('127.0.0.1', async (req, res) => {
			req.resume();
			if (req.url === '/api/models') return await writeDrip(res, 'application/json');
			if (req.method === 'POST' && req.url === '/v1/videos')
				return sendJson(res, 200, { id: `task_drip${api.requests.length}`, status: 'queued' });
			sendJson(res, 404, {});
		});
	});
	afterAll(async () => await api.close());
	beforeEach(() => api.requests.splice(0));

	const catalogueReads = () => api.requests.filter((request) => request.path === '/api/models');
	const creates = () => api.requests.filter((request) => request.method === 'POST');
	const run = async (runtime: Runtime, options: INodeParameters = {}) =>
		await runWorkflow(
			veoWorkflow({
				apiKey: API_KEY,
				baseUrl: api.url,
				parameters: {
					resource: 'video',
					operation: 'create',
					prompt: 'A lighthouse in fog',
					waitForCompletion: false,
					options,
				},
				runtime,
			}),
		);
	const bound = `the CometAPI model catalogue could not be read: it did not answer in full within ${CATALOGUE_READ_MS / 1000} s`;

	it('the create still goes out, with no estimate and a reason naming the bound', async () => {
		const result = await run(catalogueRuntime());
		expect(result.nodeError('Veo')).toBeUndefined();
		expect(result.output('Veo')[0].json).toMatchObject({
			cost_estimate: null,
			cost_estimate_reason: bound,
		});
		expect(creates()).toHaveLength(1);
	});

	it('a second run within the failure memo does not ask the catalogue again; after it, one does', async () => {
		const runtime = catalogueRuntime();
		await run(runtime);
		const second = await run(runtime);
		expect(second.output('Veo')[0].json).toMatchObject({ cost_estimate_reason: bound });
		expect(catalogueReads()).toHaveLength(1);
		expect(creates()).toHaveLength(2);

		runtime.skip(CATALOGUE_FAILURE_TTL_MS);
		await run(runtime);
		expect(catalogueReads()).toHaveLength(2);
	});

	it('with Max Estimated Spend set, the run is refused and nothing is sent (fail closed)', async () => {
		const result = await run(catalogueRuntime(), { maxEstimatedSpend: 5 });
		expect(result.nodeError('Veo')?.message).toBe(
			`Max Estimated Spend per Execution is set, but no cost can be estimated: ${bound}`,
		);
		expect(creates()).toHaveLength(0);
	});

	it('a catalogue cut by the request limit before its bound never holds up the run: the job goes on, with no estimate', async () => {
		const result = await run(
			fastRuntime({ requestTimeoutMs: 1_000, catalogueReadMs: CATALOGUE_READ_MS }),
		);
		expect(result.output('Veo')[0].json).toMatchObject({
			id: expect.stringMatching(/^task_drip\d+$/),
			cost_estimate: null,
		});
		expect(creates()).toHaveLength(1);
	});
});
