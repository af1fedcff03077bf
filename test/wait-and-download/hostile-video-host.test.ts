/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- a test playing a hostile server */
import { gzipSync } from 'node:zlib';
import type { INodeParameters } from 'n8n-workflow';

import { binaryBytes, useBinaryMode } from '../../dev/engine/binary-data';
import { fastRuntime } from '../../dev/engine/fast-runtime';
import type { HostileApi, RawHandler } from '../../dev/engine/raw-server';
import { startHostileApi, writeEndless } from '../../dev/engine/raw-server';
import { runWorkflow } from '../../dev/engine/run-workflow';
import { veoWorkflow } from '../../dev/engine/workflows';
import { readFixture } from '../../dev/simulator';

const API_KEY = 'sk-hostile-test';
const sample = readFixture('sampleVideo');
const MB = 1024 * 1024;

const createAndWait = (options: INodeParameters = {}): INodeParameters => ({
	resource: 'video',
	operation: 'create',
	prompt: 'A lighthouse at dusk',
	options,
});

/** A video host that misbehaves as told, behind a CometAPI that completes the job at once. */
describe('A video host that lies, stalls or floods: every read is bounded, the video arrives whole or not at all', () => {
	let hostile: HostileApi | undefined;
	beforeAll(async () => await useBinaryMode('filesystem'));
	const servers = () => hostile!;
	afterEach(async () => {
		await hostile?.close();
		hostile = undefined;
	});

	async function run(video: RawHandler, options: INodeParameters = {}, runtime = fastRuntime()) {
		hostile = await startHostileApi({ apiKey: API_KEY, video });
		const result = await runWorkflow(
			veoWorkflow({
				apiKey: API_KEY,
				baseUrl: hostile.api.url,
				parameters: createAndWait(options),
				continueOnFail: true,
				runtime,
			}),
		);
		const [item] = result.output('Veo');
		return { item, hostile };
	}

	it('a gzip-compressed video with a Content-Length of the compressed bytes is delivered decoded, byte-identical', async () => {
		const gzipped = gzipSync(sample);
		const { item } = await run((_req, res) => {
			res.writeHead(200, {
				'content-type': 'video/mp4',
				'content-encoding': 'gzip',
				'content-length': gzipped.length,
			});
			res.end(gzipped);
		});
		expect(item.json).toMatchObject({ id: 'task_hostile1', status: 'completed' });
		expect((await binaryBytes(item.binary!.data)).equals(sample)).toBe(true);
	});

	it('a gzip body cut short is never delivered: retried, then an error with the id', async () => {
		const gzipped = gzipSync(sample);
		const { item, hostile } = await run((_req, res) => {
			res.writeHead(200, {
				'content-type': 'video/mp4',
				'content-encoding': 'gzip',
				'content-length': gzipped.length,
			});
			res.end(gzipped.subarray(0, Math.floor(gzipped.length / 2)));
		});
		expect(item.binary).toBeUndefined();
		expect(item.json.error).toMatch(
			/^Task task_hostile1 finished, but its video could not be downloaded/,
		);
		expect(item.json.details).toMatchObject({ id: 'task_hostile1', status: 'completed' });
		expect(hostile.video.requests).toHaveLength(4);
	});

	it('an empty 200 video/mp4 is a failed download, retried, then an error naming the id', async () => {
		const { item, hostile } = await run((_req, res) => {
			res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': 0 });
			res.end();
		});
		expect(item.binary).toBeUndefined();
		expect(item.json.error).toBe(
			`Task task_hostile1 finished, but its video could not be downloaded from ${hostile.video.url}/videos/task_hostile1.mp4: the answer was empty`,
		);
		expect(item.json.details).toMatchObject({ id: 'task_hostile1', status: 'completed' });
		expect(hostile.video.requests).toHaveLength(4);
	});

	it('a host that drips bytes forever is cut at Max Download Time, retried, then an error that says the job is done', async () => {
		const { item, hostile } = await run(
			async (_req, res) => {
				res.writeHead(200, { 'content-type': 'video/mp4' });
				let closed = false;
				res.on('close', () => (closed = true));
				// 100 bytes every 10 ms, for at most 20 s: never stalls, never ends on its own.
				for (let i = 0; i < 2000 && !closed; i++) {
					res.write(Buffer.alloc(100, 1));
					await new Promise((resolve) => setTimeout(resolve, 10));
				}
				res.end();
			},
			{ maxDownloadMinutes: 0.1 },
		);
		expect(item.binary).toBeUndefined();
		expect(item.json.error).toMatch(
			/^Task task_hostile1 finished, but its video could not be downloaded from .*: the download took longer than 0\.1 minutes$/,
		);
		expect(item.json.details).toMatchObject({
			id: 'task_hostile1',
			status: 'completed',
			description: expect.stringMatching(/The job succeeded and is not lost/),
		});
		expect(hostile.video.requests).toHaveLength(4);
	});

	it('a host that stops sending mid-body fails after the stall limit, is retried, then an error with the id', async () => {
		const { item, hostile } = await run(
			(_req, res) => {
				res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': sample.length });
				res.write(sample.subarray(0, 1000));
				// ...and nothing more, the connection left open.
			},
			{},
			fastRuntime({ downloadStallMs: 30_000 }),
		);
		expect(item.binary).toBeUndefined();
		expect(item.json.error).toMatch(
			/^Task task_hostile1 finished, but its video could not be downloaded from .*: no data arrived for 30 s$/,
		);
		expect(hostile.video.requests).toHaveLength(4);
	});

	it('a 404 with an endless error page is not read, and the rest is never sent', async () => {
		const { item, hostile } = await run(async (_req, res) => {
			res.writeHead(404, { 'content-type': 'text/html' });
			await writeEndless(
				servers().video,
				res,
				Buffer.alloc(64 * 1024, '<p>not found</p>'),
				300 * MB,
			);
		});
		// Not read at all: another host's body never comes back into an error.
		expect(item.json.error).toMatch(
			/could not be downloaded from .*: HTTP 404 \(text\/html, size not declared, from 127\.0\.0\.3:\d+; not CometAPI, so its body is not quoted\)$/,
		);
		expect(item.json.error).not.toContain('not found</p>');
		expect(item.json.details).toMatchObject({ id: 'task_hostile1' });
		// Socket buffers hold a few MB at most; reading the page whole would take all 300.
		expect(hostile.video.bytesWritten).toBeLessThan(32 * MB);
	});

	it('a redirect with an endless body is followed without reading that body', async () => {
		const { item, hostile } = await run(async (req, res) => {
			if (req.url?.startsWith('/videos/')) {
				res.writeHead(302, { location: '/real.mp4', 'content-type': 'text/plain' });
				return await writeEndless(servers().video, res, Buffer.alloc(64 * 1024, 'x'), 300 * MB);
			}
			res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': sample.length });
			res.end(sample);
		});
		expect(item.json).toMatchObject({ id: 'task_hostile1', status: 'completed' });
		expect((await binaryBytes(item.binary!.data)).equals(sample)).toBe(true);
		expect(hostile.video.bytesWritten).toBeLessThan(32 * MB);
	});

	it('an endless HTML page answered as 200 instead of a video is not read', async () => {
		const { item, hostile } = await run(async (_req, res) => {
			res.writeHead(200, { 'content-type': 'text/html' });
			await writeEndless(servers().video, res, Buffer.alloc(64 * 1024, '<b>portal</b>'), 300 * MB);
		});
		expect(item.json.error).toMatch(
			/answered text\/html instead of a video \(size not declared, from 127\.0\.0\.3:\d+; not CometAPI, so its body is not quoted\)$/,
		);
		expect(item.json.error).not.toContain('portal');
		expect(hostile.video.bytesWritten).toBeLessThan(32 * MB);
	});
});
