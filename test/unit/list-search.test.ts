import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { searchModels } from '../../nodes/CometApiVeo/methods/listSearch';

describe('Model list search', () => {
	const context = {} as ILoadOptionsFunctions;

	it('offers every known Veo alias with no filter, the default first', async () => {
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
	});

	it('filters by alias or name, ignoring case', async () => {
		expect((await searchModels.call(context, '3.1')).results.map((result) => result.value)).toEqual(
			['veo3.1-fast', 'veo3.1', 'veo3.1-pro'],
		);
		expect(
			(await searchModels.call(context, 'FRAMES')).results.map((result) => result.value),
		).toEqual(['veo3-frames']);
		expect((await searchModels.call(context, 'sora')).results).toEqual([]);
	});
});
