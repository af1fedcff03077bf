/* eslint-disable @n8n/community-nodes/no-restricted-imports -- end-to-end suite: runs the real n8n */
import { join } from 'node:path';

import type { CometApiSimulator } from '../../dev/simulator';
import { startSimulator } from '../../dev/simulator';
import {
	freePort,
	installPackage,
	n8nPaths,
	n8nVersionsUnderTest,
	restCall,
	scratchN8n,
	scratchOwner,
	setupOwner,
	startN8n,
} from '../../dev/n8n-cli/n8n-cli';
import { packPackage } from '../../dev/n8n-cli/package';

/** Installing an n8n that is not in .cache/ yet takes minutes (ensure-n8n.js does it once). */
const INSTALL_TIMEOUT = 900_000;

interface CredentialTest {
	status: 'OK' | 'Error';
	message?: string;
}

/**
 * The credential's Test button, as the editor presses it (`POST /rest/credentials/test` on a
 * saved credential), in a running n8n of each version with the package installed as a community
 * package. The browser test (editor.e2e.ts) clicks the button itself, in 2.41.1 only.
 */
describe.each(n8nVersionsUnderTest())(
	'In the real n8n %s: the CometAPI Veo API credential test',
	(version) => {
		let sim: CometApiSimulator;
		let server: ReturnType<typeof startN8n>;
		let cookie: string;

		beforeAll(async () => {
			const paths = n8nPaths(version);
			const { tarball } = await packPackage();
			const instance = scratchN8n(paths);
			await installPackage(instance, tarball);
			sim = await startSimulator();
			server = startN8n(paths, instance, await freePort(), {
				logFile: join(instance.userFolder, 'n8n.log'),
			});
			cookie = await setupOwner(server.baseUrl, scratchOwner());
		}, INSTALL_TIMEOUT);
		afterAll(async () => {
			await server?.stop();
			await sim?.close();
		});
		beforeEach(() => sim.reset());

		async function testCredential(apiKey: string): Promise<CredentialTest> {
			const data = { apiKey, baseUrl: sim.baseUrl };
			const saved = await restCall<{ id: string; name: string; type: string }>(
				server.baseUrl,
				cookie,
				'POST',
				'/credentials',
				{ name: `CometAPI Veo ${apiKey.slice(-4)}`, type: 'cometApiVeoApi', data },
			);
			return await restCall<CredentialTest>(server.baseUrl, cookie, 'POST', '/credentials/test', {
				credentials: { id: saved.id, name: saved.name, type: saved.type, data },
			});
		}

		it('the simulator key tests successfully: GET /v1/models with the Bearer key', async () => {
			const result = await testCredential(sim.apiKey);
			expect(result.status).toBe('OK');
			const calls = sim.requests.filter((request) => request.path === '/v1/models');
			expect(calls).toHaveLength(1);
			expect(calls[0].headers.authorization).toBe(`Bearer ${sim.apiKey}`);
		});

		it('a wrong key fails, with the answer of the API', async () => {
			const result = await testCredential('sk-wrong-key-0000');
			expect(result.status).toBe('Error');
			expect(result.message).toBeTruthy();
			// n8n 1.x asks twice after a failure (2.x once): every ask carried the key and was refused.
			const calls = sim.requests.filter((request) => request.path === '/v1/models');
			expect(calls.length).toBeGreaterThanOrEqual(1);
			for (const call of calls) {
				expect(call.headers.authorization).toBe('Bearer sk-wrong-key-0000');
				expect(call.status).toBe(401);
			}
		});
	},
);
