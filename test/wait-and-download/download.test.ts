/* eslint-disable @n8n/community-nodes/no-restricted-imports -- a test reading n8n's binary store on disk */
import { existsSync, readFileSync } from 'node:fs';
import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { INodeParameters } from 'n8n-workflow';

import type { BinaryMode } from '../../dev/engine/binary-data';
import { binaryBytes } from '../../dev/engine/binary-data';
import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import { runOnSimulator } from '../../dev/engine/workflows';
import type { CometApiSimulator } from '../../dev/simulator';
import { readFixture } from '../../dev/simulator';

const sample = readFixture('sampleVideo');
const createAndWait = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'video',
	operation: 'create',
	prompt: 'A paper kite floats above a field',
	options: { pollInterval: 1 },
	...extra,
});

describe.each<BinaryMode>(['default', 'filesystem'])(
	'Create waits and hands back the video, binary mode "%s"',
	(mode) => {
		let sim: CometApiSimulator;
		useSimulator({ binaryMode: mode }, (started) => (sim = started));

		it('polls until completed, then streams the video byte-identical into binary "data"', async () => {
			const result = await runOnSimulator(sim, { parameters: createAndWait() });
			expect(result.nodeError('Veo')).toBeUndefined();
			const [item] = result.output('Veo');
			const id = item.json.id as string;
			expect(item.json).toMatchObject({
				status: 'completed',
				progress: 100,
				video_url: `${sim.videoHostUrl}/videos/${id}.mp4`,
			});
			const video = item.binary!.data;
			expect(video).toMatchObject({ mimeType: 'video/mp4', fileName: `${id}.mp4` });
			expect((await binaryBytes(video)).equals(sample)).toBe(true);
			if (mode === 'filesystem') {
				// On disk in n8n's store, not inline in the item.
				expect(video.id).toBeTruthy();
				const path = Container.get(BinaryDataService).getPath(video.id!);
				expect(existsSync(path) && readFileSync(path).equals(sample)).toBe(true);
			}
			// One create, polls until completed (in_progress, then completed), one download.
			expect(
				sim.requestsFor(id).map((request) => `${request.server} ${request.method} ${request.path}`),
			).toEqual([
				'api POST /v1/videos',
				`api GET /v1/videos/${id}`,
				`api GET /v1/videos/${id}`,
				`video GET /videos/${id}.mp4`,
			]);
		});

		it('never sends the API key to the video host', async () => {
			await runOnSimulator(sim, { parameters: createAndWait() });
			const videoRequests = sim.calls().filter((request) => request.server === 'video');
			expect(videoRequests).toHaveLength(1);
			expect(videoRequests[0].headers.authorization).toBeUndefined();
			expect(JSON.stringify(videoRequests[0].headers)).not.toContain(sim.apiKey);
		});

		it('puts the video in the binary property and file name the options name', async () => {
			const parameters = createAndWait({
				options: { pollInterval: 1, binaryPropertyName: 'video', fileName: 'kite.mp4' },
			});
			const result = await runOnSimulator(sim, { parameters });
			const [item] = result.output('Veo');
			expect(Object.keys(item.binary ?? {})).toEqual(['video']);
			expect(item.binary!.video.fileName).toBe('kite.mp4');
			expect((await binaryBytes(item.binary!.video)).equals(sample)).toBe(true);
		});

		it('Output "URL Only" waits but downloads nothing', async () => {
			const result = await runOnSimulator(sim, {
				parameters: createAndWait({ output: 'url' }),
			});
			const [item] = result.output('Veo');
			expect(item.json.status).toBe('completed');
			expect(item.json.video_url).toBe(`${sim.videoHostUrl}/videos/${item.json.id as string}.mp4`);
			expect(item.binary).toBeUndefined();
			expect(sim.calls().filter((request) => request.server === 'video')).toHaveLength(0);
		});

		it('Retrieve with Wait for Completion picks up a job created earlier and hands back its video', async () => {
			const created = await runOnSimulator(sim, {
				parameters: createAndWait({ waitForCompletion: false }),
			});
			const id = created.output('Veo')[0].json.id as string;
			expect(sim.calls().filter((request) => request.method === 'GET')).toHaveLength(0);
			const result = await runOnSimulator(sim, {
				items: [{ json: { id } }],
				parameters: {
					resource: 'video',
					operation: 'retrieve',
					taskId: '={{ $json.id }}',
					waitForCompletion: true,
					options: { pollInterval: 1 },
				},
			});
			const [item] = result.output('Veo');
			expect(item.json).toMatchObject({ id, status: 'completed' });
			expect((await binaryBytes(item.binary!.data)).equals(sample)).toBe(true);
		});
	},
);
