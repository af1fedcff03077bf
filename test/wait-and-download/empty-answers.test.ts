import type { INodeParameters } from 'n8n-workflow';

import { binaryBytes, useBinaryMode } from '../../dev/engine/binary-data';
import type { BinaryMode } from '../../dev/engine/binary-data';
import { fastRuntime } from '../../dev/engine/fast-runtime';
import type { HostileApi, RawHandler, RawServer } from '../../dev/engine/raw-server';
import { startHostileApi, startRawServer } from '../../dev/engine/raw-server';
import { runWorkflow } from '../../dev/engine/run-workflow';
import { veoWorkflow } from '../../dev/engine/workflows';
import { readFixture } from '../../dev/simulator';

const API_KEY = 'sk-empty-test';
const sample = readFixture('sampleVideo');

const emptyAnswer =
	(contentType: string): RawHandler =>
	(_req, res) => {
		res.writeHead(200, { 'content-type': contentType, 'content-length': 0 });
		res.end();
	};

/**
 * An empty 200 answer is refused by what the node itself counted, whatever n8n's binary store
 * says: n8n 2.x's store answers with `bytes`, n8n 1.x's (1.123.81) with no `bytes` at all, in
 * the in-memory ("default") mode and on disk alike.
 */
describe.each<[string, BinaryMode, boolean]>([
	['the in-memory ("default") store', 'default', false],
	['the filesystem store', 'filesystem', false],
	["n8n 1.x's in-memory store (no bytes in its answer)", 'default', true],
	["n8n 1.x's filesystem store (no bytes in its answer)", 'filesystem', true],
])('An empty answer is never a file, with %s', (_name, mode, as1x) => {
	beforeAll(async () => await useBinaryMode(mode, { as1x }));
	let hostile: HostileApi | undefined;
	let imageHost: RawServer | undefined;
	afterEach(async () => {
		await Promise.all([hostile?.close(), imageHost?.close()]);
		hostile = imageHost = undefined;
	});

	const run = async (api: HostileApi, parameters: INodeParameters) => {
		const result = await runWorkflow(
			veoWorkflow({
				apiKey: API_KEY,
				baseUrl: api.api.url,
				parameters,
				continueOnFail: true,
				runtime: fastRuntime(),
			}),
		);
		return result.output('Veo');
	};

	it('an empty 200 video/mp4 is a failed download, retried, then an error that keeps the task id', async () => {
		hostile = await startHostileApi({ apiKey: API_KEY, video: emptyAnswer('video/mp4') });
		const [item] = await run(hostile, {
			resource: 'video',
			operation: 'create',
			prompt: 'A lighthouse at dusk',
			options: {},
		});
		expect(item.binary).toBeUndefined();
		expect(item.json.error).toBe(
			`Task task_hostile1 finished, but its video could not be downloaded from ${hostile.video.url}/videos/task_hostile1.mp4: the answer was empty`,
		);
		expect(item.json.details).toMatchObject({ id: 'task_hostile1', status: 'completed' });
		expect(hostile.video.requests).toHaveLength(4);
	});

	it('an empty 200 image/png from an image URL is refused before the create', async () => {
		hostile = await startHostileApi({ apiKey: API_KEY, video: emptyAnswer('video/mp4') });
		imageHost = await startRawServer('127.0.0.4', emptyAnswer('image/png'));
		const [item] = await run(hostile, {
			resource: 'video',
			operation: 'create',
			waitForCompletion: false,
			prompt: 'A lighthouse at dusk',
			frames: 'single',
			imageSource: 'url',
			imageUrl: `${imageHost.url}/photo.png`,
		});
		expect(item.json.error).toBe(
			`Item 0: "Image URL": the image at ${imageHost.url}/photo.png could not be used: the answer was empty`,
		);
		expect(imageHost.requests).toHaveLength(1);
		expect(hostile.api.requests.filter((request) => request.method === 'POST')).toHaveLength(0);
	});

	it('a whole video is still delivered whole, from one request', async () => {
		hostile = await startHostileApi({
			apiKey: API_KEY,
			video: (_req, res) => {
				res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': sample.length });
				res.end(sample);
			},
		});
		const [item] = await run(hostile, {
			resource: 'video',
			operation: 'create',
			prompt: 'A lighthouse at dusk',
			options: {},
		});
		expect(item.json).toMatchObject({ id: 'task_hostile1', status: 'completed' });
		expect(item.binary!.data.bytes).toBe(as1x ? undefined : sample.length);
		expect((await binaryBytes(item.binary!.data)).equals(sample)).toBe(true);
		expect(hostile.video.requests).toHaveLength(1);
	});
});
