import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import { testCredential } from '../../dev/engine/credential-test';
import type { CometApiSimulator } from '../../dev/simulator';

describe('Credential test (the "Test" button), run by n8n-core RoutingNode', () => {
	let sim: CometApiSimulator;
	useSimulator({}, (started) => (sim = started));

	it('passes with the right key, sending an authenticated GET /v1/models', async () => {
		const result = await testCredential({ apiKey: sim.apiKey, baseUrl: sim.baseUrl });
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(sim.requests).toHaveLength(1);
		expect(sim.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models', status: 200 });
		expect(sim.requests[0].headers.authorization).toBe(`Bearer ${sim.apiKey}`);
	});

	it('accepts a Base URL typed with a trailing /v1/', async () => {
		const result = await testCredential({ apiKey: sim.apiKey, baseUrl: `${sim.baseUrl}/v1/` });
		expect(result.status).toBe('OK');
		expect(sim.requests[0].path).toBe('/v1/models');
	});

	it('fails with a wrong key', async () => {
		const result = await testCredential({ apiKey: 'sk-wrong', baseUrl: sim.baseUrl });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('401');
		expect(sim.requests[0].status).toBe(401);
	});
});
