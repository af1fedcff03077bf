import type { INodeParameters } from 'n8n-workflow';

import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import type { TestItem } from '../../dev/engine/test-nodes';
import { runOnSimulator } from '../../dev/engine/workflows';
import type { CatalogueKind, CometApiSimulator, FaultSpec } from '../../dev/simulator';

const CATALOGUE = { method: 'GET', path: /^\/api\/models$/ };
const create = (extra: INodeParameters = {}, options: INodeParameters = {}): INodeParameters => ({
	resource: 'video',
	operation: 'create',
	prompt: '={{ $json.p ?? "A glass of water on a table" }}',
	waitForCompletion: false,
	...extra,
	options,
});
const model = (value: string) => ({ model: { __rl: true, mode: 'id', value } });
const items = (count: number): TestItem[] =>
	Array.from({ length: count }, (_, i) => ({ json: { p: `shot ${i}` } }));

describe("Cost estimate and spend limit from CometAPI's public catalogue", () => {
	let sim: CometApiSimulator;
	useSimulator({}, (started) => (sim = started));
	const run = async (parameters: INodeParameters, input: TestItem[] = [{}]) =>
		await runOnSimulator(sim, { parameters, items: input });
	const catalogueReads = () => sim.requests.filter((request) => request.path === '/api/models');

	it.each<[string, INodeParameters, object]>([
		[
			'per second × the seconds sent',
			{ ...model('veo3.1'), seconds: '6' },
			{ amount: 0.3, currency: 'USD', basis: 'per_second 0.05 × 6 s' },
		],
		[
			"per second × the documented default length when Seconds is the model's default",
			model('veo3.1-fast'),
			{
				amount: 0.4,
				currency: 'USD',
				basis: 'per_second 0.05 × 8 s (the documented default length)',
			},
		],
		['per request', model('veo3-pro'), { amount: 2, currency: 'USD', basis: 'per_request 2' }],
	])('each Create output carries cost_estimate: %s', async (_name, parameters, estimate) => {
		const result = await run(create(parameters));
		expect(result.output('Veo')[0].json.cost_estimate).toEqual(estimate);
		// The public catalogue is read without the key, once for the run.
		expect(catalogueReads()).toHaveLength(1);
		expect(catalogueReads()[0].headers.authorization).toBeUndefined();
	});

	it('the catalogue is read once per run, however many items and videos', async () => {
		await run(create({ videosPerPrompt: 2 }), items(3));
		expect(sim.creates()).toHaveLength(6);
		expect(catalogueReads()).toHaveLength(1);
	});

	it.each<[string, CatalogueKind, object]>([
		[
			'only per_request',
			'per-request-only',
			{ amount: 1.6, currency: 'USD', basis: 'per_request 1.6' },
		],
		[
			'another currency string',
			'other-currency',
			{
				amount: 0.4,
				currency: 'CNY',
				basis: 'per_second 0.05 × 8 s (the documented default length)',
			},
		],
	])('a catalogue with %s still gives an estimate', async (_name, kind, estimate) => {
		sim.catalogue(kind);
		const result = await run(create(model('veo3.1')));
		expect(result.output('Veo')[0].json.cost_estimate).toEqual(estimate);
	});

	it.each<[string, () => void, RegExp]>([
		[
			'no pricing',
			() => sim.catalogue('no-pricing'),
			/no per-second or per-request price for "veo3-fast"/,
		],
		[
			'an HTML page',
			() => sim.fault({ match: CATALOGUE, kind: 'status', status: 200, body: '<html>hi</html>' }),
			/could not be read/,
		],
		[
			'a 404',
			() => sim.fault({ match: CATALOGUE, kind: 'status', status: 404 }),
			/could not be read/,
		],
		['a model it does not list', () => undefined, /the catalogue lists no model "veo9-dream"/],
	])(
		'a catalogue with %s never fails the job: cost_estimate is null with the reason',
		async (name, arrange, reason) => {
			arrange();
			const result = await run(
				create(name.includes('veo9') || name.includes('does not list') ? model('veo9-dream') : {}),
			);
			const [item] = result.output('Veo');
			expect(result.nodeError('Veo')).toBeUndefined();
			expect(item.json).toMatchObject({
				id: sim.creates()[0].taskId,
				cost_estimate: null,
				cost_estimate_reason: expect.stringMatching(reason),
			});
		},
	);

	it('Retrieve does not guess a cost and does not read the catalogue', async () => {
		await run(create());
		const id = sim.creates()[0].taskId!;
		const readsBefore = catalogueReads().length;
		const result = await run({ resource: 'video', operation: 'retrieve', taskId: id });
		expect(result.output('Veo')[0].json).toMatchObject({ id });
		expect(result.output('Veo')[0].json.cost_estimate).toBeUndefined();
		expect(catalogueReads()).toHaveLength(readsBefore);
	});

	it('under the limit, the jobs run', async () => {
		// 3 items × 2 videos × $0.4 = $2.4
		const result = await run(create({ videosPerPrompt: 2 }, { maxEstimatedSpend: 2.5 }), items(3));
		expect(result.nodeError('Veo')).toBeUndefined();
		expect(sim.creates()).toHaveLength(6);
	});

	it('over the limit, nothing is sent and the error names the estimate, the limit and the counts', async () => {
		const result = await run(create({ videosPerPrompt: 2 }, { maxEstimatedSpend: 2 }), items(3));
		expect(result.nodeError('Veo')?.message).toBe(
			'The estimated spend of this run, 2.4 USD for 6 videos of 3 items, is over Max Estimated Spend per Execution (2)',
		);
		expect(sim.creates()).toHaveLength(0);
	});

	it('with a limit and no usable price, it refuses and says why and how to proceed', async () => {
		sim.fault({ match: CATALOGUE, kind: 'status', status: 503 } as FaultSpec);
		const result = await run(create({}, { maxEstimatedSpend: 100 }));
		const error = result.nodeError('Veo');
		expect(error?.message).toMatch(
			/^Max Estimated Spend per Execution is set, but no cost can be estimated: the CometAPI model catalogue could not be read: it answered HTTP 503$/,
		);
		expect(error?.description).toMatch(/remove the limit/);
		expect(sim.creates()).toHaveLength(0);
	});
});
