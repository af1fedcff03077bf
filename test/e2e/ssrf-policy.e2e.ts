import type { RawHandler, RawServer, HostileApi } from '../../dev/engine/raw-server';
import { createFromImageUrl } from '../../dev/engine/parameters';
import { startHostileApi, startRawServer } from '../../dev/engine/raw-server';
import type { CometApiSimulator } from '../../dev/simulator';
import { readFixture, startSimulator } from '../../dev/simulator';
import type { CliRun, N8nInstance } from '../../dev/n8n-cli/n8n-cli';
import {
	executeWorkflow,
	importCredentials,
	importWorkflow,
	installPackage,
	n8nPaths,
	n8nVersionsUnderTest,
	scratchN8n,
} from '../../dev/n8n-cli/n8n-cli';
import { packPackage } from '../../dev/n8n-cli/package';

/** Installing an n8n that is not in .cache/ yet takes minutes (ensure-n8n.js does it once). */
const INSTALL_TIMEOUT = 900_000;
const VEO_TYPE = 'n8n-nodes-cometapi-veo.cometApiVeo';
const png = readFixture('firstFrame');

/**
 * n8n 2.x's instance SSRF policy as an operator turns it on: the default blocked ranges (every
 * 127.0.0.x among them) and only the CometAPI stand-in's API host allowed. n8n 1.x has no such
 * policy: it ignores these variables.
 */
const POLICY = {
	N8N_SSRF_PROTECTION_ENABLED: 'true',
	N8N_SSRF_BLOCKED_IP_RANGES: 'default',
	N8N_SSRF_ALLOWED_IP_RANGES: '127.0.0.1/32',
};

const refusedText = (host: string) =>
	`${host} is in a blocked IP range (N8N_SSRF_BLOCKED_IP_RANGES); an n8n administrator can allow it by adding ${host}/32 to N8N_SSRF_ALLOWED_IP_RANGES`;

const servePng: RawHandler = (_req, res) => {
	res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
	res.end(png);
};
const emptyAnswer =
	(contentType: string): RawHandler =>
	(_req, res) => {
		res.writeHead(200, { 'content-type': contentType, 'content-length': 0 });
		res.end();
	};

/** Manual Trigger -> CometAPI Veo (errors as output items), as a user builds it. */
function veoWorkflow(id: string, parameters: Record<string, unknown>, credentialId: string) {
	return {
		id,
		name: id,
		nodes: [
			{
				id: `${id}-trigger`,
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: `${id}-veo`,
				name: 'Veo',
				type: VEO_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters,
				onError: 'continueRegularOutput',
				credentials: { cometApiVeoApi: { id: credentialId, name: credentialId } },
			},
		],
		connections: { Start: { main: [[{ node: 'Veo', type: 'main', index: 0 }]] } },
		active: false,
		settings: { executionOrder: 'v1' },
	};
}

const imageFrom = (imageUrl: string) =>
	createFromImageUrl(imageUrl, { prompt: 'The product turns slowly' });
const createAndWait = {
	resource: 'video',
	operation: 'create',
	prompt: 'A lighthouse at dusk',
	options: { pollInterval: 1 },
};

function veoItem(run: CliRun) {
	if (run.exitCode !== 0 || run.result?.data.resultData.error)
		throw new Error(`the run failed:\n${run.output.slice(-4000)}`);
	const items = run.result?.data.resultData.runData.Veo?.[0]?.data?.main[0] ?? [];
	expect(items).toHaveLength(1);
	return items[0];
}

describe.each(n8nVersionsUnderTest())(
	"In the real n8n %s CLI: n8n's SSRF policy, and empty answers",
	(version) => {
		const v2 = Number(version.split('.')[0]) >= 2;
		let sim: CometApiSimulator;
		let empty: HostileApi;
		let redirector: RawServer;
		let blockedImage: RawServer;
		let instance: ReturnType<typeof scratchN8n>;
		let runs = 0;

		beforeAll(async () => {
			const paths = n8nPaths(version);
			expect(paths.n8nVersion).toBe(version);
			const { tarball } = await packPackage();
			instance = scratchN8n(paths);
			await installPackage(instance, tarball);
			sim = await startSimulator();
			empty = await startHostileApi({ apiKey: sim.apiKey, video: emptyAnswer('video/mp4') });
			blockedImage = await startRawServer('127.0.0.4', (req, res) =>
				req.url?.startsWith('/empty')
					? emptyAnswer('image/png')(req, res, 0)
					: servePng(req, res, 0),
			);
			redirector = await startRawServer('127.0.0.1', (_req, res) => {
				res.writeHead(302, { location: `${blockedImage.url}/inside.png?token=t` });
				res.end();
			});
			await importCredentials(instance, [
				{
					id: 'simulator',
					name: 'simulator',
					type: 'cometApiVeoApi',
					data: { apiKey: sim.apiKey, baseUrl: sim.baseUrl },
				},
				{
					id: 'emptyvideoapi',
					name: 'emptyvideoapi',
					type: 'cometApiVeoApi',
					data: { apiKey: sim.apiKey, baseUrl: empty.api.url },
				},
			]);
		}, INSTALL_TIMEOUT);
		afterAll(async () => {
			await Promise.all([sim?.close(), empty?.close(), redirector?.close(), blockedImage?.close()]);
		});
		beforeEach(() => sim.reset());

		async function run(
			n8n: N8nInstance,
			parameters: Record<string, unknown>,
			credentialId = 'simulator',
		): Promise<CliRun> {
			const workflow = veoWorkflow(`ssrfe2e${++runs}`, parameters, credentialId);
			await importWorkflow(n8n, workflow);
			return await executeWorkflow(n8n, workflow.id);
		}
		const videoHostRequests = () => sim.requests.filter((request) => request.server === 'video');

		it(
			v2
				? 'an image URL on a blocked address is refused, named as the policy refusing it; no create is sent'
				: 'n8n 1.x has no SSRF policy: the variables are ignored and the image on 127.0.0.2 is fetched and sent',
			async () => {
				const url = `${sim.videoHostUrl}/images/first-frame.png`;
				const item = veoItem(await run(instance.withEnv(POLICY), imageFrom(`${url}?sig=s`)));
				if (v2) {
					expect(item.json.error).toBe(
						`Item 0: "Image URL": the image at ${url} could not be used: the n8n instance's SSRF protection refused it: ${refusedText(new URL(url).hostname)}`,
					);
					expect(videoHostRequests()).toHaveLength(0);
					expect(sim.creates()).toHaveLength(0);
				} else {
					// A created task: its own `error` field is null (a failed item carries the error text there).
					expect(item.json.error).toBeNull();
					expect(item.json.id).toBe(sim.creates()[0].taskId);
					expect(sim.creates()[0].files[0].data.equals(png)).toBe(true);
				}
			},
		);

		it(
			v2
				? 'a redirect from an allowed host to a blocked address is refused at that hop, after one request'
				: 'n8n 1.x: a redirect to 127.0.0.4 is followed, the image sent',
			async () => {
				const before = blockedImage.requests.length;
				const redirectsBefore = redirector.requests.length;
				const item = veoItem(
					await run(instance.withEnv(POLICY), imageFrom(`${redirector.url}/photo.png`)),
				);
				expect(redirector.requests.length - redirectsBefore).toBe(1);
				if (v2) {
					expect(item.json.error).toBe(
						`Item 0: "Image URL": the image at ${redirector.url}/photo.png could not be used: the n8n instance's SSRF protection refused its redirect to ${blockedImage.url}/inside.png: ${refusedText('127.0.0.4')}`,
					);
					expect(blockedImage.requests.length - before).toBe(0);
					expect(sim.creates()).toHaveLength(0);
				} else {
					// A created task: its own `error` field is null (a failed item carries the error text there).
					expect(item.json.error).toBeNull();
					expect(blockedImage.requests.length - before).toBe(1);
					expect(sim.creates()[0].files[0].data.equals(png)).toBe(true);
				}
			},
		);

		it('an image on a host the variables allow (127.0.0.2 added to N8N_SSRF_ALLOWED_IP_RANGES) is fetched and sent', async () => {
			const allowing = instance.withEnv({
				...POLICY,
				N8N_SSRF_ALLOWED_IP_RANGES: '127.0.0.1/32,127.0.0.2/32',
			});
			const item = veoItem(
				await run(allowing, imageFrom(`${sim.videoHostUrl}/images/first-frame.png`)),
			);
			// A created task: its own `error` field is null (a failed item carries the error text there).
			expect(item.json.error).toBeNull();
			expect(item.json.id).toBe(sim.creates()[0].taskId);
			expect(sim.creates()[0].files[0].data.equals(png)).toBe(true);
			expect(videoHostRequests()).toHaveLength(1);
		});

		it(
			v2
				? 'a video on a blocked host: the download is refused, named as the policy refusing it, and the item keeps the task id'
				: 'n8n 1.x: the video on 127.0.0.2 is downloaded despite the variables',
			async () => {
				const item = veoItem(await run(instance.withEnv(POLICY), createAndWait));
				const taskId = sim.creates()[0].taskId!;
				if (v2) {
					const url = `${sim.videoHostUrl}/videos/${taskId}.mp4`;
					expect(item.json.error).toBe(
						`Task ${taskId} finished, but its video could not be downloaded from ${url}: the n8n instance's SSRF protection refused it: ${refusedText(new URL(url).hostname)}`,
					);
					expect(item.json.details).toMatchObject({ id: taskId, status: 'completed' });
					expect(item.binary).toBeUndefined();
					expect(videoHostRequests()).toHaveLength(0);
				} else {
					expect(item.json).toMatchObject({ id: taskId, status: 'completed' });
					expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4' });
				}
			},
		);

		// 1.x's default binary mode keeps files in memory; scratchN8n's default is the filesystem.
		describe.each(['default', 'filesystem'])('in the "%s" binary data mode', (mode) => {
			it('an empty 200 video/mp4 is refused: the item fails with "the answer was empty" and keeps the task id', async () => {
				const before = empty.video.requests.length;
				const n8n = instance.withEnv({ N8N_DEFAULT_BINARY_DATA_MODE: mode });
				const item = veoItem(await run(n8n, createAndWait, 'emptyvideoapi'));
				expect(item.binary).toBeUndefined();
				expect(item.json.error).toBe(
					`Task task_hostile1 finished, but its video could not be downloaded from ${empty.video.url}/videos/task_hostile1.mp4: the answer was empty`,
				);
				expect(item.json.details).toMatchObject({ id: 'task_hostile1', status: 'completed' });
				expect(empty.video.requests.length - before).toBe(4);
			});

			it('an empty 200 image/png from an image URL is refused before any create', async () => {
				const before = blockedImage.requests.length;
				const n8n = instance.withEnv({ N8N_DEFAULT_BINARY_DATA_MODE: mode });
				const item = veoItem(await run(n8n, imageFrom(`${blockedImage.url}/empty.png`)));
				expect(item.json.error).toBe(
					`Item 0: "Image URL": the image at ${blockedImage.url}/empty.png could not be used: the answer was empty`,
				);
				expect(blockedImage.requests.length - before).toBe(1);
				expect(sim.creates()).toHaveLength(0);
			});
		});
	},
);
