import type { INodeParameters } from 'n8n-workflow';

import type { RawHandler, RawServer } from '../../dev/engine/raw-server';
import { createFromImageUrl } from '../../dev/engine/parameters';
import { useRawServers } from '../../dev/engine/raw-server-lifecycle';
import { sendJson, startHostileApi, startRawServer } from '../../dev/engine/raw-server';
import { runWorkflow } from '../../dev/engine/run-workflow';
import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import { runOnSimulator, veoWorkflow } from '../../dev/engine/workflows';
import type { CometApiSimulator } from '../../dev/simulator';

const API_KEY = 'sk-foreign-bodies';
const SECRET = 'db_password=hunter2 user=admin host=10.0.0.5 (internal config dump)';

/** A host answering `status` with a secret in its body, with a declared length. */
const leaky =
	(status: number, contentType: string, body = SECRET): RawHandler =>
	(_req, res) => {
		res.writeHead(status, {
			'content-type': contentType,
			'content-length': Buffer.byteLength(body),
		});
		res.end(body);
	};

const hostPattern = (server: RawServer) => new URL(server.url).host.replace(/\./g, '\\.');

/**
 * Errors are read by people and by AI Agents: what another host answered is described (status,
 * content type, size, host), never quoted. CometAPI's own answers are quoted: its messages say
 * what went wrong.
 */
describe("Another host's answer never comes back into an error; CometAPI's own is quoted", () => {
	const servers = useRawServers();

	describe('on raw hosts', () => {
		it('an image URL answering 403 with a secret: the error has status, type, size and host, no body text', async () => {
			const api = await startRawServer('127.0.0.1', (req, res) => {
				req.resume();
				sendJson(res, 200, { id: 'task_never', status: 'queued' });
			});
			const image = await startRawServer('127.0.0.4', leaky(403, 'text/plain'));
			servers.push(api, image);
			const result = await runWorkflow(
				veoWorkflow({
					apiKey: API_KEY,
					baseUrl: api.url,
					parameters: createFromImageUrl(`${image.url}/cat.png`),
					continueOnFail: true,
				}),
			);
			const error = result.output('Veo')[0].json.error as string;
			expect(error).toMatch(
				new RegExp(
					`^Item 0: "Image URL": the image at ${image.url}/cat\\.png could not be used: HTTP 403 \\(text/plain, ${Buffer.byteLength(SECRET)} bytes, from ${hostPattern(image)}; not CometAPI, so its body is not quoted\\)$`,
				),
			);
			expect(JSON.stringify(result.output('Veo')[0].json)).not.toContain('hunter2');
			expect(image.requests).toHaveLength(1);
			expect(api.requests.filter((request) => request.method === 'POST')).toHaveLength(0);
		});

		it('an image whose Content-Type carries a secret: the type is not repeated either', async () => {
			const api = await startRawServer('127.0.0.1', (req, res) => {
				req.resume();
				sendJson(res, 200, { id: 'task_never', status: 'queued' });
			});
			const image = await startRawServer('127.0.0.4', leaky(200, 'image/png hunter2'));
			servers.push(api, image);
			const result = await runWorkflow(
				veoWorkflow({
					apiKey: API_KEY,
					baseUrl: api.url,
					parameters: createFromImageUrl(`${image.url}/cat.png`),
					continueOnFail: true,
				}),
			);
			expect(result.output('Veo')[0].json.error).toMatch(
				/could not be used: the answer \(a malformed content type\) is not a PNG, JPEG or WebP image$/,
			);
			expect(JSON.stringify(result.output('Veo')[0].json)).not.toContain('hunter2');
		});

		it.each<[string, RawHandler, RegExp]>([
			[
				'a 403 with a secret',
				leaky(403, 'text/plain'),
				/: HTTP 403 \(text\/plain, \d+ bytes, from 127\.0\.0\.3:\d+; not CometAPI, so its body is not quoted\)$/,
			],
			[
				'a 403 whose Content-Type carries a secret',
				leaky(403, 'text/plain db_password=hunter2'),
				/: HTTP 403 \(a malformed content type, \d+ bytes, from 127\.0\.0\.3:\d+; not CometAPI, so its body is not quoted\)$/,
			],
			[
				'a 200 page with a secret instead of a video',
				leaky(200, 'text/html'),
				/: answered text\/html instead of a video \(\d+ bytes, from 127\.0\.0\.3:\d+; not CometAPI, so its body is not quoted\)$/,
			],
			[
				'a 200 JSON answer with a secret and no video URL',
				leaky(200, 'application/json', JSON.stringify({ note: SECRET })),
				/: the answer holds no video URL \(application\/json, \d+ bytes, from 127\.0\.0\.3:\d+; not CometAPI, so its body is not quoted\)$/,
			],
		])(
			'a video host answering %s: described, not quoted, and the task id is kept',
			async (_name, handler, message) => {
				const hostile = await startHostileApi({ apiKey: API_KEY, video: handler });
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
				expect(item.json.error).toMatch(
					/^Task task_hostile1 finished, but its video could not be downloaded from http:\/\/127\.0\.0\.3:\d+\/videos\/task_hostile1\.mp4/,
				);
				expect(item.json.error).toMatch(message);
				expect(item.json.details).toMatchObject({ id: 'task_hostile1', status: 'completed' });
				expect(JSON.stringify(item.json)).not.toContain('hunter2');
			},
		);

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

	describe('on the simulator', () => {
		let sim: CometApiSimulator;
		useSimulator({ binaryMode: 'filesystem' }, (started) => (sim = started));

		it("CometAPI's own content route refusing the download is quoted (its signed URLs without their query)", async () => {
			sim.script({
				steps: [{ status: 'completed', progress: 100 }],
				videoUrl: 'none',
				content: 'bytes',
			});
			sim.fault({
				match: { server: 'api', method: 'GET', path: /\/content$/ },
				kind: 'status',
				status: 403,
				body: JSON.stringify({
					error: {
						message:
							'quota exceeded for this key; see https://files.example/q.json?X-Amz-Signature=deadbeefsecret',
					},
				}),
			});
			const parameters: INodeParameters = { resource: 'video', operation: 'create', prompt: 'x' };
			const result = await runOnSimulator(sim, { parameters, continueOnFail: true });
			const error = result.output('Veo')[0].json.error as string;
			expect(error).toMatch(
				/could not be downloaded from http:\/\/127\.0\.0\.1:\d+\/v1\/videos\/[^/]+\/content: HTTP 403: .*quota exceeded for this key; see https:\/\/files\.example\/q\.json\?…/,
			);
			expect(error).not.toContain('deadbeefsecret');
		});
	});
});
