import type { INodeParameters } from 'n8n-workflow';

import { binaryBytes } from '../../dev/engine/binary-data';
import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import { runOnSimulator } from '../../dev/engine/workflows';
import type { CometApiSimulator, TaskScript } from '../../dev/simulator';
import { readFixture } from '../../dev/simulator';

const sample = readFixture('sampleVideo');
const parameters: INodeParameters = {
	resource: 'video',
	operation: 'create',
	prompt: 'Waves on rocks',
	options: { pollInterval: 1 },
};

describe('Where the video comes from, and who gets the key', () => {
	let sim: CometApiSimulator;
	useSimulator({ binaryMode: 'filesystem' }, (started) => (sim = started));

	async function run(script: Partial<TaskScript>) {
		sim.script({
			steps: [
				{ status: 'queued', progress: 0 },
				{ status: 'completed', progress: 100 },
			],
			...script,
		});
		const result = await runOnSimulator(sim, { parameters });
		expect(result.nodeError('Veo')).toBeUndefined();
		const [item] = result.output('Veo');
		expect((await binaryBytes(item.binary!.data)).equals(sample)).toBe(true);
		const id = item.json.id as string;
		return {
			id,
			requests: sim
				.requestsFor(id)
				.filter(
					(request) => request.method === 'GET' && !/\/v1\/videos\/[^/]+$/.test(request.path),
				),
		};
	}

	const keyOf = (headers: Record<string, string>) => headers.authorization;

	it('no video_url: the content route on the API host, with the key', async () => {
		const { id, requests } = await run({ videoUrl: 'none', content: 'bytes' });
		expect(
			requests.map((request) => [request.server, request.path, keyOf(request.headers)]),
		).toEqual([['api', `/v1/videos/${id}/content`, `Bearer ${sim.apiKey}`]]);
	});

	it('a content route that redirects to another host: followed, without the key', async () => {
		const { id, requests } = await run({ videoUrl: 'none', content: 'redirect' });
		expect(
			requests.map((request) => [request.server, request.path, keyOf(request.headers)]),
		).toEqual([
			['api', `/v1/videos/${id}/content`, `Bearer ${sim.apiKey}`],
			['video', `/videos/${id}.mp4`, undefined],
		]);
	});

	it('a content route that answers JSON with a URL: fetched without the key', async () => {
		const { id, requests } = await run({ videoUrl: 'none', content: 'json-url' });
		expect(
			requests.map((request) => [request.server, request.path, keyOf(request.headers)]),
		).toEqual([
			['api', `/v1/videos/${id}/content`, `Bearer ${sim.apiKey}`],
			['video', `/videos/${id}.mp4`, undefined],
		]);
	});

	it('a video_url on the API host itself gets the key (it is CometAPI)', async () => {
		const { id, requests } = await run({ videoUrl: 'api-content', content: 'bytes' });
		expect(
			requests.map((request) => [request.server, request.path, keyOf(request.headers)]),
		).toEqual([['api', `/v1/videos/${id}/content`, `Bearer ${sim.apiKey}`]]);
	});

	it.each<TaskScript['urlField']>(['url', 'output', 'data'])(
		'a URL under "%s" is downloaded without the key',
		async (urlField) => {
			const { id, requests } = await run({ urlField });
			expect(
				requests.map((request) => [request.server, request.path, keyOf(request.headers)]),
			).toEqual([['video', `/videos/${id}.mp4`, undefined]]);
		},
	);
});
