import { useRawServers } from '../../dev/engine/raw-server-lifecycle';
import { createFromImageUrl } from '../../dev/engine/parameters';
import { startHostileApi, startRawServer } from '../../dev/engine/raw-server';
import { runWorkflow } from '../../dev/engine/run-workflow';
import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import { runOnSimulator, veoWorkflow } from '../../dev/engine/workflows';
import type { CometApiSimulator } from '../../dev/simulator';
import { readFixture } from '../../dev/simulator';

const API_KEY = 'sk-redirect-schemes';
const pngBase64 = readFixture('firstFrame').toString('base64');
const videoBase64 = readFixture('sampleVideo').subarray(0, 4096).toString('base64');

// A redirect may point anywhere; only http(s) is followed. The same data: URL given directly
// is refused while items are checked, so a redirect must not be a way round that.
const targets: Array<[scheme: string, image: string, video: string]> = [
	['data', `data:image/png;base64,${pngBase64}`, `data:video/mp4;base64,${videoBase64}`],
	['file', 'file:///etc/passwd', 'file:///etc/hostname'],
	['ftp', 'ftp://127.0.0.4/frame.png', 'ftp://127.0.0.3/video.mp4'],
];

const refusal = (scheme: string) =>
	`redirected (HTTP 302) to a URL of scheme ${scheme}:, which is not followed: only http and https are`;

describe('A redirect to a scheme other than http(s) ends the fetch at once, with one request', () => {
	const servers = useRawServers();
	const redirectingTo = async (host: string, location: string) => {
		const server = await startRawServer(host, (_req, res) => {
			res.writeHead(302, { location });
			res.end();
		});
		servers.push(server);
		return server;
	};

	describe('an image URL', () => {
		let sim: CometApiSimulator;
		useSimulator({ binaryMode: 'filesystem' }, (started) => (sim = started));

		it.each(targets)(
			'redirected to %s: refused, not retried, and no create is sent',
			async (scheme, location) => {
				const host = await redirectingTo('127.0.0.4', location);
				const result = await runOnSimulator(sim, {
					parameters: createFromImageUrl(`${host.url}/photo.png`),
					continueOnFail: true,
				});
				const error = result.output('Veo')[0].json.error as string;
				expect(error).toBe(
					`Item 0: "Image URL": the image at ${host.url}/photo.png could not be used: ${refusal(scheme)}`,
				);
				expect(host.requests).toHaveLength(1);
				expect(sim.creates()).toHaveLength(0);
			},
		);
	});

	describe('a video_url', () => {
		it.each(targets)(
			'redirected to %s: refused, not retried, and the task id is kept',
			async (scheme, _image, location) => {
				const hostile = await startHostileApi({
					apiKey: API_KEY,
					video: (_req, res) => {
						res.writeHead(302, { location });
						res.end();
					},
				});
				servers.push(hostile.api, hostile.video);
				const result = await runWorkflow(
					veoWorkflow({
						apiKey: API_KEY,
						baseUrl: hostile.api.url,
						parameters: { resource: 'video', operation: 'create', prompt: 'x' },
						continueOnFail: true,
					}),
				);
				const [item] = result.output('Veo');
				expect(item.binary).toBeUndefined();
				expect(item.json.error).toBe(
					`Task task_hostile1 finished, but its video could not be downloaded from ${hostile.video.url}/videos/task_hostile1.mp4: ${refusal(scheme)}`,
				);
				expect(item.json.details).toMatchObject({ id: 'task_hostile1', status: 'completed' });
				expect(hostile.video.requests).toHaveLength(1);
			},
		);
	});
});
