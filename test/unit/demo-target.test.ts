import { demoTarget } from '../../demo/target';

describe('npm run demo picks CometAPI only when a key is given', () => {
	it.each([
		['unset', {}],
		['empty', { COMETAPI_KEY: '' }],
		['blank', { COMETAPI_KEY: '   ' }],
	])('a key that is %s means the simulator', (_name, env) => {
		expect(demoTarget(env)).toEqual({ kind: 'simulator' });
	});

	it('a key means CometAPI, at its own host unless COMETAPI_BASE_URL says otherwise', () => {
		expect(demoTarget({ COMETAPI_KEY: ' sk-1 ' })).toEqual({
			kind: 'cometapi',
			apiKey: 'sk-1',
			baseUrl: 'https://api.cometapi.com',
		});
		expect(
			demoTarget({ COMETAPI_KEY: 'sk-1', COMETAPI_BASE_URL: 'http://proxy:8080' }),
		).toMatchObject({ baseUrl: 'http://proxy:8080' });
	});
});
