import type { INodeParameters } from 'n8n-workflow';

import type { RawServer } from '../../dev/engine/raw-server';
import {
	sendJson,
	startHostileApi,
	startRawServer,
	writeDrip,
	writeEndless,
} from '../../dev/engine/raw-server';
import { useRawServers } from '../../dev/engine/raw-server-lifecycle';
import { fastRuntime } from '../../dev/engine/fast-runtime';
import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import { runWorkflow } from '../../dev/engine/run-workflow';
import { runOnSimulator, veoWorkflow } from '../../dev/engine/workflows';
import type { CometApiSimulator } from '../../dev/simulator';
import { FAILURE_MESSAGE } from '../../dev/simulator';

const CREATE = { method: 'POST', path: /^\/v1\/videos$/ };
const POLL = { method: 'GET', path: /^\/v1\/videos\/task_\w+$/ };
const MB = 1024 * 1024;
const createAndWait = (
	options: INodeParameters = {},
	extra: INodeParameters = {},
): INodeParameters => ({
	resource: 'video',
	operation: 'create',
	prompt: 'A fox in the snow',
	output: 'url',
	options: { pollInterval: 1, ...options },
	...extra,
});

describe('A CometAPI that answers oddly: waits stay bounded, ids are kept, no answer is taken on trust', () => {
	let sim: CometApiSimulator;
	useSimulator({}, (started) => (sim = started));
	const run = async (parameters: INodeParameters) =>
		await runOnSimulator(sim, { parameters, continueOnFail: true });
	const polls = () => sim.calls().filter((request) => request.method === 'GET').length;

	it('Max Wait bounds polling including its retries: a 429 asking for 15 s is not waited out past a 1.2 s Max Wait', async () => {
		sim.script({ outcome: 'never' });
		sim.fault({ match: POLL, kind: 'status', status: 429, retryAfter: '15', times: 10 });
		const result = await run(createAndWait({ maxWaitMinutes: 0.02 }));
		const [item] = result.output('Veo');
		expect(item.json).toMatchObject({
			id: sim.creates()[0].taskId,
			status: 'queued',
			timed_out: true,
		});
		// The first poll met the 429; its retry would have come after the deadline, so none was sent.
		expect(polls()).toBe(1);
	});

	it.each([
		[
			'a proxy page (200, not JSON)',
			{ match: POLL, kind: 'status' as const, status: 200, body: '<html>captive portal</html>' },
		],
		['a 404 right after the create', { match: POLL, kind: 'status' as const, status: 404 }],
	])('a poll answered by %s is retried like a 5xx, and the job completes', async (_name, fault) => {
		sim.fault(fault);
		const result = await run(createAndWait());
		const [item] = result.output('Veo');
		expect(item.json).toMatchObject({ id: sim.creates()[0].taskId, status: 'completed' });
		expect(sim.calls().some((request) => request.fault === 'status')).toBe(true);
		expect(sim.creates()).toHaveLength(1);
	});

	it('a Retrieve of an unknown id is not retried on 404: the id is wrong, not early', async () => {
		const result = await run({ resource: 'video', operation: 'retrieve', taskId: 'task_nope' });
		expect(result.output('Veo')[0].json.error).toMatch(/^CometAPI error 404/);
		expect(sim.calls()).toHaveLength(1);
	});

	it('a create answered with an id that cannot be followed ("..") is an error naming the item, with the answer, and nothing is polled', async () => {
		sim.fault({
			match: CREATE,
			kind: 'status',
			status: 200,
			body: '{"id":"..","status":"queued"}',
		});
		const result = await run(createAndWait());
		const [item] = result.output('Veo');
		expect(item.json.error).toBe(
			'Item 0: CometAPI accepted the create but its answer holds a task id that cannot be followed (".."): {"id":"..","status":"queued"}',
		);
		expect(item.json.details).toMatchObject({
			description: expect.stringMatching(/may have accepted this job/),
		});
		expect(sim.calls()).toHaveLength(1);
	});

	it.each([
		'rejected',
		'blocked',
		'expired',
		'canceled',
		'timeout',
		'moderation_blocked',
		'CONTENT_POLICY_VIOLATION',
	])(
		'a job ending as "%s" ends the wait as a failure quoting the reason, not at Max Wait',
		async (word) => {
			sim.script({ outcome: 'failed', terminalStatusName: word });
			const result = await run(createAndWait({ maxWaitMinutes: 1440 }));
			const [item] = result.output('Veo');
			const id = sim.creates()[0].taskId!;
			expect(item.json.error).toMatch(
				new RegExp(`^CometAPI task ${id} (failed|cancelled): ${FAILURE_MESSAGE}`),
			);
			expect(item.json.details).toMatchObject({
				id,
				description: `Task ${id} ended with status "${word}".`,
			});
		},
	);

	it('a status word the node does not know is kept in raw and polled until Max Wait', async () => {
		sim.script({
			outcome: 'never',
			steps: [
				{ status: 'paused', progress: 5 },
				{ status: 'paused', progress: 5 },
				{ status: 'completed', progress: 100 },
			],
		});
		const result = await run(createAndWait({ maxWaitMinutes: 0.1 }));
		const [item] = result.output('Veo');
		expect(item.json).toMatchObject({
			status: 'unknown',
			timed_out: true,
			raw: { status: 'paused' },
		});
		expect(polls()).toBeGreaterThan(1);
	});
});

describe('Answers wrapped, flooded, endless or about another task', () => {
	const API_KEY = 'sk-hostile-test';
	const servers = useRawServers();
	const run = async (baseUrl: string, parameters: INodeParameters) =>
		await runWorkflow(veoWorkflow({ apiKey: API_KEY, baseUrl, parameters, continueOnFail: true }));

	it('a task wrapped in "data" is read there: status, id and URL, and the wait ends when it completes', async () => {
		const hostile = await startHostileApi({
			apiKey: API_KEY,
			video: (_req, res) => void res.end(),
			poll: (count, videoUrl) => ({
				status: 200,
				body: {
					data: {
						id: 'task_hostile1',
						status: count < 2 ? 'processing' : 'SUCCESS',
						video_url: videoUrl,
					},
				},
			}),
		});
		servers.push(hostile.api, hostile.video);
		const result = await run(hostile.api.url, createAndWait({ maxWaitMinutes: 1440 }));
		const [item] = result.output('Veo');
		expect(item.json).toMatchObject({
			id: 'task_hostile1',
			status: 'completed',
			video_url: `${hostile.video.url}/videos/task_hostile1.mp4`,
		});
		expect(
			hostile.api.requests.filter(
				(request) => request.method === 'GET' && request.path !== '/api/models',
			),
		).toHaveLength(2);
	});

	it.each([
		['a 500 error page', 500, 'text/html', '<p>oops</p>', /^CometAPI error 500: HTTP 500/],
		[
			'a 200 that never ends',
			200,
			'application/json',
			'[',
			/answered GET \/v1\/videos\/task_flood with something that is not JSON/,
		],
	])(
		'a poll answered with %s is read only to a cap, retried, then an error that keeps the id',
		async (_name, status, type, chunk, message) => {
			const api: RawServer = await startRawServer('127.0.0.1', async (req, res) => {
				req.resume();
				if (req.method === 'POST')
					return sendJson(res, 200, { id: 'task_flood', status: 'queued' });
				res.writeHead(status, { 'content-type': type });
				await writeEndless(api, res, Buffer.alloc(64 * 1024, chunk), 200 * MB);
			});
			servers.push(api);
			const result = await run(api.url, createAndWait());
			const [item] = result.output('Veo');
			expect(item.json.error).toMatch(message);
			expect(item.json.details).toMatchObject({ id: 'task_flood', status: 'queued' });
			expect(
				api.requests.filter(
					(request) => request.method === 'GET' && request.path !== '/api/models',
				),
			).toHaveLength(4);
			// Four answers of 200 MB each; the node read about a megabyte of each at most.
			expect(api.bytesWritten).toBeLessThan(4 * 32 * MB);
		},
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
		const result = await run(hostile.api.url, createAndWait());
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
			if (req.url === '/v1/videos/task_drip') return await writeDrip(res, 'application/json');
			sendJson(res, 404, {});
		});
		servers.push(api);
		const result = await runWorkflow(
			veoWorkflow({
				apiKey: API_KEY,
				baseUrl: api.url,
				parameters: createAndWait({ maxWaitMinutes: 0.02 }),
				continueOnFail: true,
				runtime: fastRuntime({ requestTimeoutMs: 1_000 }),
			}),
		);
		expect(result.output('Veo')[0].json).toMatchObject({ id: 'task_drip', timed_out: true });
		expect(api.requests.filter((request) => request.path === '/v1/videos/task_drip')).toHaveLength(
			1,
		);
	});
});
