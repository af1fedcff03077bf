import type { INodeParameters } from 'n8n-workflow';

import { binaryBytes } from '../../dev/engine/binary-data';
import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import { runOnSimulator } from '../../dev/engine/workflows';
import type { CometApiSimulator, FaultSpec } from '../../dev/simulator';
import { readFixture } from '../../dev/simulator';

const sample = readFixture('sampleVideo');
const parameters: INodeParameters = {
	resource: 'video',
	operation: 'create',
	prompt: 'Fireflies in a forest',
	options: { pollInterval: 1 },
};
const CREATE = { method: 'POST', path: /^\/v1\/videos$/ };
const POLL = { method: 'GET', path: /^\/v1\/videos\/task_\w+$/ };
const DOWNLOAD = { server: 'video' as const };

describe('Injected faults: reads are retried, a create is never sent twice, no id is lost', () => {
	let sim: CometApiSimulator;
	useSimulator({ binaryMode: 'filesystem' }, (started) => (sim = started));

	const run = async (continueOnFail = false) =>
		await runOnSimulator(sim, { parameters, continueOnFail });
	const accepted = () => sim.creates().filter((request) => request.taskId);

	it.each<[string, FaultSpec]>([
		[
			'a 429 with Retry-After on create',
			{ match: CREATE, kind: 'status', status: 429, retryAfter: '1' },
		],
		['a 429 on a poll', { match: POLL, kind: 'status', status: 429, retryAfter: '0' }],
		['a burst of 500s on polls', { match: POLL, kind: 'status', status: 500, times: 2 }],
		['a 502 on a poll', { match: POLL, kind: 'status', status: 502 }],
		['a 503 on a poll', { match: POLL, kind: 'status', status: 503 }],
		['a 504 on a poll', { match: POLL, kind: 'status', status: 504 }],
		['a 524 on a poll', { match: POLL, kind: 'status', status: 524 }],
		['a connection reset on a poll', { match: POLL, kind: 'reset-before' }],
		['a reset in the middle of the download', { match: DOWNLOAD, kind: 'reset-mid-body' }],
		['a short body on the download', { match: DOWNLOAD, kind: 'short-body' }],
		['a 503 on the download', { match: DOWNLOAD, kind: 'status', status: 503 }],
	])('%s: retried, one job, the video arrives whole', async (_name, fault) => {
		sim.fault(fault);
		const result = await run();
		expect(result.nodeError('Veo')).toBeUndefined();
		expect(sim.calls().some((request) => request.fault === fault.kind)).toBe(true);
		expect(accepted()).toHaveLength(1);
		const [item] = result.output('Veo');
		expect(item.json).toMatchObject({ id: accepted()[0].taskId, status: 'completed' });
		expect((await binaryBytes(item.binary!.data)).equals(sample)).toBe(true);
	});

	it.each<[string, FaultSpec, RegExp]>([
		['accepted, then a 500', { match: CREATE, kind: 'accept-then-500' }, /CometAPI error 500/],
		[
			'accepted, then the connection reset',
			{ match: CREATE, kind: 'accept-then-reset' },
			/Could not reach CometAPI/,
		],
		[
			'a 500 before acceptance',
			{ match: CREATE, kind: 'status', status: 500 },
			/CometAPI error 500/,
		],
		[
			'the connection reset before an answer',
			{ match: CREATE, kind: 'reset-before' },
			/Could not reach CometAPI/,
		],
	])(
		'a create %s is not sent again (it may be billed) and says so',
		async (_name, fault, message) => {
			sim.fault(fault);
			const result = await run();
			expect(sim.creates()).toHaveLength(1);
			const error = result.nodeError('Veo');
			expect(error?.message).toMatch(message);
			expect(error?.description).toMatch(/may have accepted this job/);
		},
	);

	it.each<[string, string, RegExp]>([
		[
			'with no task id',
			'{"object":"video","status":"queued"}',
			/accepted the create but its answer holds no task id/,
		],
		['that is not JSON', 'OK', /answered POST \/v1\/videos with something that is not JSON: OK/],
	])(
		'a 200 to a create %s is an error that warns the job may exist, and nothing is polled',
		async (_name, body, message) => {
			sim.fault({ match: CREATE, kind: 'status', status: 200, body });
			const result = await run();
			const error = result.nodeError('Veo');
			expect(error?.message).toMatch(message);
			expect(error?.description).toMatch(/may have accepted this job/);
			expect(sim.calls()).toHaveLength(1);
		},
	);

	it('a download that keeps failing names the id and the URL, and the item keeps them', async () => {
		sim.fault({ match: DOWNLOAD, kind: 'short-body', times: 10 });
		const result = await run(true);
		const [item] = result.output('Veo');
		const id = accepted()[0].taskId!;
		const url = `${sim.videoHostUrl}/videos/${id}.mp4`;
		expect(item.json.details).toMatchObject({ id, status: 'completed', video_url: url });
		// Node's HTTP client itself calls a body that ends before its Content-Length a reset.
		expect(item.json.error).toBe(
			`Task ${id} finished, but its video could not be downloaded from ${url}: connection reset`,
		);
		expect(item.binary).toBeUndefined();
		// Four attempts in all, then the error; the job itself was created once.
		expect(sim.calls().filter((request) => request.server === 'video')).toHaveLength(4);
		expect(sim.creates()).toHaveLength(1);
	});

	it('polls that keep failing end with an error that still names the accepted job', async () => {
		sim.fault({ match: POLL, kind: 'status', status: 503, times: 10 });
		const result = await run();
		const id = accepted()[0].taskId!;
		const error = result.nodeError('Veo');
		expect(error?.message).toMatch(/CometAPI error 503/);
		expect(error?.description).toContain(`item 0: ${id} (queued)`);
	});
});
