import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { searchModels } from '../../nodes/CometApiVeo/methods/listSearch';
import { SYSTEM_RUNTIME } from '../../nodes/CometApiVeo/transport/runtime';
import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import { loadOptionsContext } from '../../dev/engine/load-options';
import type { CometApiSimulator } from '../../dev/simulator';

const CATALOGUE = { method: 'GET', path: /^\/api\/models$/ };

describe("The Model list comes from CometAPI's public catalogue", () => {
	let sim: CometApiSimulator;
	useSimulator({}, (started) => (sim = started));
	let context: ILoadOptionsFunctions;
	beforeEach(() => {
		// The list is kept a few minutes per Base URL: each test starts with none kept.
		SYSTEM_RUNTIME.memo.clear();
		context = loadOptionsContext({ apiKey: sim.apiKey, baseUrl: sim.baseUrl });
	});
	const catalogueReads = () => sim.requests.filter((request) => request.path === '/api/models');

	it('lists the Veo video models, with a readable name and a one-line description with the price', async () => {
		const { results } = await searchModels.call(context);
		expect(results.map((result) => result.value)).toEqual([
			'veo3-fast',
			'veo3',
			'veo3-pro',
			'veo3.1-fast',
			'veo3.1',
			'veo3.1-pro',
			'veo3-frames',
		]);
		expect(results.find((result) => result.value === 'veo3.1')).toEqual({
			name: 'Veo 3.1',
			value: 'veo3.1',
			description: 'Google · text-to-video, image-to-video · $0.05 per second',
		});
		expect(results.find((result) => result.value === 'veo3-pro')?.description).toMatch(
			/\$2 per video$/,
		);
		// Public: no key goes with it.
		expect(catalogueReads()[0].headers.authorization).toBeUndefined();
	});

	it('is searchable by alias or name, ignoring case, and reads the catalogue once for many keystrokes', async () => {
		expect((await searchModels.call(context, '3.1')).results.map((result) => result.value)).toEqual(
			['veo3.1-fast', 'veo3.1', 'veo3.1-pro'],
		);
		expect((await searchModels.call(context, 'PRO')).results.map((result) => result.value)).toEqual(
			['veo3-pro', 'veo3.1-pro'],
		);
		expect(
			(await searchModels.call(context, 'FRAMES')).results.map((result) => result.value),
		).toEqual(['veo3-frames']);
		expect((await searchModels.call(context, 'sora')).results).toEqual([]);
		expect(catalogueReads()).toHaveLength(1);
	});

	it.each([
		[
			'an HTML page',
			{ match: CATALOGUE, kind: 'status' as const, status: 200, body: '<html>maintenance</html>' },
		],
		['a 404', { match: CATALOGUE, kind: 'status' as const, status: 404 }],
		[
			'an unknown shape',
			{ match: CATALOGUE, kind: 'status' as const, status: 200, body: '{"models":[]}' },
		],
	])(
		'when the catalogue answers %s, the known aliases are listed: never an empty list',
		async (_name, fault) => {
			sim.fault(fault);
			const { results } = await searchModels.call(context);
			expect(results.map((result) => result.value)).toContain('veo3-fast');
			expect(results).toHaveLength(7);
		},
	);

	it('a catalogue without the Veo models falls back too', async () => {
		sim.fault({
			match: CATALOGUE,
			kind: 'status',
			status: 200,
			body: '{"success":true,"data":[{"id":"gpt-4o","model_type":"text"}]}',
		});
		expect((await searchModels.call(context)).results).toHaveLength(7);
	});
});
