/* eslint-disable @n8n/community-nodes/no-restricted-globals -- sets n8n's own configuration, as an operator would */
import type { INodeParameters } from 'n8n-workflow';

import { fastRuntime } from '../../dev/engine/fast-runtime';
import type { RawHandler } from '../../dev/engine/raw-server';
import { useRawServers } from '../../dev/engine/raw-server-lifecycle';
import { startHostileApi, startRawServer } from '../../dev/engine/raw-server';
import { runWorkflow } from '../../dev/engine/run-workflow';
import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import { veoWorkflow } from '../../dev/engine/workflows';
import { createFromImageUrl } from '../../dev/engine/parameters';
import type { CometApiSimulator } from '../../dev/simulator';
import { readFixture } from '../../dev/simulator';

/**
 * n8n 2.x's instance SSRF policy, in n8n-core's own OutboundHttp: it reads @n8n/config from the
 * environment when first resolved in this file's container, so the variables are set before any
 * request. Only the API host (127.0.0.1) is allowed; every other 127.0.0.x is in the default
 * blocked ranges. (The real CLI is tested in test/e2e/ssrf-policy.e2e.ts, both n8n versions.)
 */
const POLICY = {
	N8N_SSRF_PROTECTION_ENABLED: 'true',
	N8N_SSRF_BLOCKED_IP_RANGES: 'default',
	N8N_SSRF_ALLOWED_IP_RANGES: '127.0.0.1/32',
};
const saved = Object.fromEntries(Object.keys(POLICY).map((name) => [name, process.env[name]]));
Object.assign(process.env, POLICY);
afterAll(() => {
	for (const [name, value] of Object.entries(saved)) {
		if (value === undefined) delete process.env[name];
		else process.env[name] = value;
	}
});

const png = readFixture('firstFrame');
const refused = (host: string) =>
	`the n8n instance's SSRF protection refused it: ${host} is in a blocked IP range (N8N_SSRF_BLOCKED_IP_RANGES); an n8n administrator can allow it by adding ${host}/32 to N8N_SSRF_ALLOWED_IP_RANGES`;

const oneImage = (imageUrl: string): INodeParameters =>
	createFromImageUrl(imageUrl, { prompt: 'The product turns slowly' });

const servePng: RawHandler = (_req, res) => {
	res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
	res.end(png);
};

describe("With n8n's SSRF protection on and only the API host allowed", () => {
	let sim: CometApiSimulator;
	useSimulator({ binaryMode: 'filesystem' }, (started) => (sim = started));
	const servers = useRawServers();
	const rawServer = async (host: string, handler: RawHandler) => {
		const server = await startRawServer(host, handler);
		servers.push(server);
		return server;
	};
	const run = async (parameters: INodeParameters, baseUrl = sim.baseUrl) =>
		await runWorkflow(
			veoWorkflow({
				apiKey: sim.apiKey,
				baseUrl,
				parameters,
				continueOnFail: true,
				runtime: fastRuntime(),
			}),
		);

	it('an image URL on a blocked address is refused as the policy refusing it, and no create is sent', async () => {
		const url = `${sim.videoHostUrl}/images/first-frame.png`;
		const result = await run(oneImage(`${url}?sig=secret`));
		const host = new URL(url).hostname;
		expect(result.output('Veo')[0].json.error).toBe(
			`Item 0: "Image URL": the image at ${url} could not be used: ${refused(host)}`,
		);
		// Refused before connecting: the image host saw nothing, CometAPI saw nothing.
		expect(sim.requests.filter((request) => request.server === 'video')).toHaveLength(0);
		expect(sim.creates()).toHaveLength(0);
	});

	it('an image on an allowed host is fetched and sent', async () => {
		const host = await rawServer('127.0.0.1', servePng);
		const result = await run(oneImage(`${host.url}/photo.png`));
		expect(result.output('Veo')[0].json).toMatchObject({ id: sim.creates()[0].taskId });
		expect(sim.creates()[0].files[0].data.equals(png)).toBe(true);
		expect(host.requests).toHaveLength(1);
	});

	it('a redirect from an allowed host to a blocked address is refused at that hop, once, never retried', async () => {
		const blocked = await rawServer('127.0.0.4', servePng);
		const redirector = await rawServer('127.0.0.1', (_req, res) => {
			res.writeHead(302, { location: `${blocked.url}/inside.png?token=t` });
			res.end();
		});
		const result = await run(oneImage(`${redirector.url}/photo.png`));
		expect(result.output('Veo')[0].json.error).toBe(
			`Item 0: "Image URL": the image at ${redirector.url}/photo.png could not be used: the n8n instance's SSRF protection refused its redirect to ${blocked.url}/inside.png: 127.0.0.4 is in a blocked IP range (N8N_SSRF_BLOCKED_IP_RANGES); an n8n administrator can allow it by adding 127.0.0.4/32 to N8N_SSRF_ALLOWED_IP_RANGES`,
		);
		expect(redirector.requests).toHaveLength(1);
		expect(blocked.requests).toHaveLength(0);
		expect(sim.creates()).toHaveLength(0);
	});

	it('a video on a blocked host: the download is refused as the policy refusing it, and the item keeps the task id', async () => {
		const result = await run({
			resource: 'video',
			operation: 'create',
			prompt: 'A lighthouse at dusk',
			options: { pollInterval: 1 },
		});
		const [item] = result.output('Veo');
		const [create] = sim.creates();
		const url = `${sim.videoHostUrl}/videos/${create.taskId}.mp4`;
		expect(item.binary).toBeUndefined();
		expect(item.json.error).toBe(
			`Task ${create.taskId} finished, but its video could not be downloaded from ${url}: ${refused(new URL(url).hostname)}`,
		);
		expect(item.json.details).toMatchObject({ id: create.taskId, status: 'completed' });
		expect(sim.requests.filter((request) => request.server === 'video')).toHaveLength(0);
	});

	it('a video URL that redirects to a blocked host: refused at that hop, once, with the task id', async () => {
		const hostile = await startHostileApi({
			apiKey: sim.apiKey,
			video: (_req, res) => void res.end(),
			poll: () => ({
				status: 200,
				body: {
					id: 'task_hostile1',
					status: 'completed',
					video_url: `${redirector.url}/v.mp4`,
				},
			}),
		});
		servers.push(hostile.api, hostile.video);
		const redirector = await rawServer('127.0.0.1', (_req, res) => {
			res.writeHead(302, { location: `${hostile.video.url}/stored.mp4` });
			res.end();
		});
		const result = await run(
			{ resource: 'video', operation: 'create', prompt: 'A lighthouse at dusk', options: {} },
			hostile.api.url,
		);
		const [item] = result.output('Veo');
		expect(item.json.error).toBe(
			`Task task_hostile1 finished, but its video could not be downloaded from ${redirector.url}/v.mp4: the n8n instance's SSRF protection refused its redirect to ${hostile.video.url}/stored.mp4: 127.0.0.3 is in a blocked IP range (N8N_SSRF_BLOCKED_IP_RANGES); an n8n administrator can allow it by adding 127.0.0.3/32 to N8N_SSRF_ALLOWED_IP_RANGES`,
		);
		expect(item.json.details).toMatchObject({ id: 'task_hostile1', status: 'completed' });
		expect(redirector.requests).toHaveLength(1);
		expect(hostile.video.requests).toHaveLength(0);
	});

	it('a Base URL on a blocked address: the create is refused as the policy refusing it, said not sent', async () => {
		const api = await rawServer('127.0.0.5', (_req, res) => void res.end());
		const result = await run(
			{ resource: 'video', operation: 'create', waitForCompletion: false, prompt: 'A kite' },
			api.url,
		);
		const [item] = result.output('Veo');
		expect(item.json.error).toBe(
			`Could not reach CometAPI at ${new URL(api.url).host}: ${refused('127.0.0.5')}`,
		);
		expect(item.json.details).toMatchObject({
			description:
				'POST /v1/videos was not sent, so nothing was billed. Check the Base URL of the CometAPI Veo credential, or have the CometAPI host allowed.',
		});
		expect(api.requests).toHaveLength(0);
	});
});
