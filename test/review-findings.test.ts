/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- a test playing hostile servers */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INodeParameters } from 'n8n-workflow';

import { CATALOGUE_READ_MS } from '../nodes/CometApiVeo/transport/runtime';
import { fastRuntime } from './engine/fast-runtime';
import type { RawServer } from './engine/raw-server';
import { sendJson, startHostileApi, startRawServer } from './engine/raw-server';
import { useSimulator } from './engine/simulator-lifecycle';
import { runWorkflow } from './engine/run-workflow';
import type { TestItem } from './engine/test-nodes';
import { veoWorkflow } from './engine/workflows';
import type { CometApiSimulator } from './simulator';
import { fixturePath } from './simulator';

const API_KEY = 'sk-hostile-test';
const CREATE = { method: 'POST', path: /^\/v1\/videos$/ };
const createUrlOnly = (options: INodeParameters = {}): INodeParameters => ({
	resource: 'video',
	operation: 'create',
	prompt: '={{ $json.p ?? "A bridge at night" }}',
	output: 'url',
	options: { pollInterval: 1, ...options },
});

/** Drips a byte every 100 ms after the headers, for at most 90 s: longer than any test may take. */
async function drip(res: import('node:http').ServerResponse, contentType: string): Promise<void> {
	res.writeHead(200, { 'content-type': contentType });
	let closed = false;
	res.on('close', () => (closed = true));
	for (let i = 0; i < 900 && !closed; i++) {
		res.write(' ');
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	res.end();
}

describe('What an adversarial review found: ids, bodies that drip, creates in doubt, frames that lie', () => {
	const servers: RawServer[] = [];
	afterEach(
		async () => await Promise.all(servers.splice(0).map(async (server) => await server.close())),
	);

	it('a poll answer that calls the task by another id does not replace the id CometAPI accepted', async () => {
		const hostile = await startHostileApi({
			apiKey: API_KEY,
			video: (_req, res) => void res.end(),
			poll: (count, videoUrl) => ({
				status: 200,
				body: {
					id: 'video_provider_77',
					status: count < 2 ? 'in_progress' : 'completed',
					video_url: videoUrl,
				},
			}),
		});
		servers.push(hostile.api, hostile.video);
		const result = await runWorkflow(
			veoWorkflow({
				apiKey: API_KEY,
				baseUrl: hostile.api.url,
				parameters: createUrlOnly(),
				continueOnFail: true,
			}),
		);
		expect(result.output('Veo')[0].json).toMatchObject({
			id: 'task_hostile1',
			status: 'completed',
			raw: { id: 'video_provider_77' },
		});
		const polls = hostile.api.requests.filter(
			(request) => request.method === 'GET' && request.path.startsWith('/v1/videos/'),
		);
		expect(polls.map((request) => request.path)).toEqual([
			'/v1/videos/task_hostile1',
			'/v1/videos/task_hostile1',
		]);
	});

	it('a poll whose answer drips a byte at a time is cut by the request limit, and Max Wait still holds', async () => {
		const api = await startRawServer('127.0.0.1', async (req, res) => {
			req.resume();
			if (req.method === 'POST') return sendJson(res, 200, { id: 'task_drip', status: 'queued' });
			if (req.url === '/v1/videos/task_drip') return await drip(res, 'application/json');
			sendJson(res, 404, {});
		});
		servers.push(api);
		const result = await runWorkflow(
			veoWorkflow({
				apiKey: API_KEY,
				baseUrl: api.url,
				parameters: createUrlOnly({ maxWaitMinutes: 0.02 }),
				continueOnFail: true,
				runtime: fastRuntime({ requestTimeoutMs: 1_000 }),
			}),
		);
		expect(result.output('Veo')[0].json).toMatchObject({ id: 'task_drip', timed_out: true });
		expect(api.requests.filter((request) => request.path === '/v1/videos/task_drip')).toHaveLength(
			1,
		);
	});

	it('a catalogue that drips never holds up the run: the job goes on, with no estimate', async () => {
		const api = await startRawServer('127.0.0.1', async (req, res) => {
			req.resume();
			if (req.url === '/api/models') return await drip(res, 'application/json');
			if (req.method === 'POST') return sendJson(res, 200, { id: 'task_ok', status: 'queued' });
			sendJson(res, 404, {});
		});
		servers.push(api);
		const result = await runWorkflow(
			veoWorkflow({
				apiKey: API_KEY,
				baseUrl: api.url,
				parameters: {
					resource: 'video',
					operation: 'create',
					prompt: 'x',
					waitForCompletion: false,
				},
				runtime: fastRuntime({ requestTimeoutMs: 1_000, catalogueReadMs: CATALOGUE_READ_MS }),
			}),
		);
		expect(result.output('Veo')[0].json).toMatchObject({ id: 'task_ok', cost_estimate: null });
	});

	describe('with the simulator', () => {
		let sim: CometApiSimulator;
		useSimulator({}, (started) => (sim = started));

		it("when one item fails, another item's create whose outcome is unknown is named as possibly billed", async () => {
			sim.fault({
				match: CREATE,
				kind: 'status',
				status: 400,
				body: '{"error":{"message":"prompt refused"}}',
			});
			sim.fault({ match: CREATE, kind: 'accept-then-500' });
			const items: TestItem[] = [{ json: { p: 'one' } }, { json: { p: 'two' } }];
			const result = await runWorkflow(
				veoWorkflow({
					apiKey: sim.apiKey,
					baseUrl: sim.baseUrl,
					parameters: createUrlOnly({ maxConcurrentJobs: 2 }),
					items,
				}),
			);
			const error = result.nodeError('Veo');
			const refused = sim.creates().find((request) => request.status === 400)!;
			const inDoubt = sim.creates().find((request) => request.fault === 'accept-then-500')!;
			const itemOf = (prompt: string) => (prompt === 'one' ? 0 : 1);
			expect(error?.message).toBe('CometAPI error 400: prompt refused');
			expect(error?.context?.itemIndex).toBe(itemOf(refused.fields.prompt));
			expect(error?.description).toContain(
				`Creates sent whose outcome is unknown (CometAPI may have accepted them: check your CometAPI task list before running them again): item ${itemOf(inDoubt.fields.prompt)}`,
			);
		});

		it('a refused create is not named as possibly billed', async () => {
			sim.fault({
				match: CREATE,
				kind: 'status',
				status: 400,
				body: '{"error":{"message":"prompt refused"}}',
			});
			const error = (
				await runWorkflow(
					veoWorkflow({ apiKey: sim.apiKey, baseUrl: sim.baseUrl, parameters: createUrlOnly() }),
				)
			).nodeError('Veo');
			expect(error?.description ?? '').not.toContain('outcome is unknown');
		});

		it.each([
			[
				'an empty file declared as PNG',
				'',
				'image/png',
				'x.png',
				/binary property "photo" is empty$/,
			],
			[
				'an HTML page named .png',
				'<html>hi</html>',
				'application/octet-stream',
				'page.png',
				/binary property "photo" is not a PNG, JPEG or WebP image by its content \(declared image\/png\)$/,
			],
		])(
			'a binary frame that is %s is refused before any request',
			async (_name, content, mimeType, fileName, message) => {
				const dir = mkdtempSync(join(tmpdir(), 'veo-frame-'));
				const path = join(dir, fileName);
				writeFileSync(path, content);
				const items: TestItem[] = [{ binary: { photo: { path, mimeType, fileName } } }];
				const result = await runWorkflow(
					veoWorkflow({
						apiKey: sim.apiKey,
						baseUrl: sim.baseUrl,
						items,
						parameters: {
							resource: 'video',
							operation: 'create',
							prompt: 'x',
							frames: 'single',
							imageBinaryProperty: 'photo',
						},
					}),
				);
				expect(result.nodeError('Veo')?.message).toMatch(
					new RegExp(`^Item 0: "Image Binary Property": ${message.source.slice(0, -1)}`),
				);
				expect(sim.calls()).toHaveLength(0);
			},
		);

		it('an image URL with a malformed escape still works, sent under a file name of the node', async () => {
			const host = await startRawServer('127.0.0.4', (_req, res) => {
				res.writeHead(200, { 'content-type': 'image/png' });
				res.end(readFileSync(fixturePath.firstFrame));
			});
			servers.push(host);
			const result = await runWorkflow(
				veoWorkflow({
					apiKey: sim.apiKey,
					baseUrl: sim.baseUrl,
					parameters: {
						resource: 'video',
						operation: 'create',
						prompt: 'x',
						waitForCompletion: false,
						frames: 'single',
						imageSource: 'url',
						imageUrl: `${host.url}/img%zz.png?sig=1`,
					},
				}),
			);
			expect(result.nodeError('Veo')).toBeUndefined();
			// Sent under the node's own name: nothing of the URL reaches the part's header.
			expect(sim.creates()[0].files[0].filename).toBe('frame-1.png');
		});

		it('an error page that echoes a signed URL is not quoted, nor its signature', async () => {
			const hostile = await startHostileApi({
				apiKey: API_KEY,
				video: (_req, res) => {
					res.writeHead(403, { 'content-type': 'text/plain' });
					res.end(
						'Denied: https://bucket.example/v.mp4?X-Amz-Signature=deadbeefsecret&X-Amz-Credential=AKIA123',
					);
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
			const error = result.output('Veo')[0].json.error as string;
			// A video host's body is not quoted at all (the signature with it).
			expect(error).toMatch(/HTTP 403 \(text\/plain, size not declared, from 127\.0\.0\.3:\d+; /);
			expect(error).not.toContain('Denied');
			expect(error).not.toContain('deadbeefsecret');
			expect(error).not.toContain('AKIA123');
		});
	});
});
