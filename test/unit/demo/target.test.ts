import { demoTarget } from '../../../demo/target';

describe('npm run demo bills CometAPI only when asked with --real', () => {
	it.each([
		['unset', {}],
		['empty', { COMETAPI_KEY: '' }],
		['blank', { COMETAPI_KEY: '   ' }],
	])('a key that is %s means the simulator', (_name, env) => {
		expect(demoTarget(env)).toEqual({ kind: 'simulator' });
	});

	it('a key alone means the simulator, and says how to ask for a real run', () => {
		const target = demoTarget({ COMETAPI_KEY: 'sk-1' }, []);
		expect(target.kind).toBe('simulator');
		expect(target).not.toHaveProperty('apiKey');
		expect(target).toMatchObject({
			note: expect.stringMatching(/COMETAPI_KEY is set but not used.*npm run demo -- --real$/),
		});
	});

	it('--real with a key means CometAPI, at its own host unless COMETAPI_BASE_URL says otherwise', () => {
		expect(demoTarget({ COMETAPI_KEY: ' sk-1 ' }, ['--real'])).toEqual({
			kind: 'cometapi',
			apiKey: 'sk-1',
			baseUrl: 'https://api.cometapi.com',
		});
		expect(
			demoTarget({ COMETAPI_KEY: 'sk-1', COMETAPI_BASE_URL: 'http://proxy:8080' }, ['--real']),
		).toMatchObject({ kind: 'cometapi', baseUrl: 'http://proxy:8080' });
	});

	it.each([
		['unset', {}],
		['blank', { COMETAPI_KEY: '  ' }],
	])('--real with a key that is %s is an error naming COMETAPI_KEY', (_name, env) => {
		expect(() => demoTarget(env, ['--real'])).toThrow(
			/--real makes real, billed jobs on CometAPI and needs your key: export COMETAPI_KEY=/,
		);
	});

	it('an unknown argument is an error, not a quiet run', () => {
		expect(() => demoTarget({ COMETAPI_KEY: 'sk-1' }, ['--rael'])).toThrow(
			'npm run demo: unknown argument --rael (the only one is --real)',
		);
	});
});
