import type { INodeParameters } from 'n8n-workflow';

import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import { runOnSimulator } from '../../dev/engine/workflows';
import type { CometApiSimulator, TaskScript } from '../../dev/simulator';
import { FAILURE_MESSAGE } from '../../dev/simulator';

const retrieve: INodeParameters = {
	resource: 'video',
	operation: 'retrieve',
	taskId: '={{ $json.id }}',
};

describe('Retrieve: the task, normalised, with CometAPI answer beside it', () => {
	let sim: CometApiSimulator;
	useSimulator({ simulator: { clock: 'manual' } }, (started) => (sim = started));

	async function createTask(script: Partial<TaskScript> = {}): Promise<string> {
		sim.script(script);
		const created = await runOnSimulator(sim, {
			parameters: {
				resource: 'video',
				operation: 'create',
				waitForCompletion: false,
				prompt: 'Waves at night',
				seconds: '8',
			},
		});
		return created.output('Veo')[0].json.id as string;
	}

	async function retrieveTask(id: string) {
		const result = await runOnSimulator(sim, {
			parameters: retrieve,
			items: [{ json: { id } }],
		});
		expect(result.nodeError('Veo')).toBeUndefined();
		return result.output('Veo')[0];
	}

	it('an unfinished task', async () => {
		const id = await createTask();
		sim.advance(id, 1);
		const item = await retrieveTask(id);
		expect(item.json).toMatchObject({
			id,
			status: 'in_progress',
			progress: 50,
			seconds: '8',
			video_url: null,
			error: null,
		});
		expect((item.json.raw as { id: string }).id).toBe(id);
		expect(item.pairedItem).toEqual({ item: 0 });
		const get = sim.requestsFor(id).find((request) => request.method === 'GET')!;
		expect(get.path).toBe(`/v1/videos/${id}`);
		expect(get.headers.authorization).toBe(`Bearer ${sim.apiKey}`);
	});

	it('a completed task with its video URL and completion time', async () => {
		const id = await createTask();
		sim.advance(id, 2);
		const item = await retrieveTask(id);
		expect(item.json).toMatchObject({ id, status: 'completed', progress: 100 });
		expect(item.json.video_url).toBe(`${sim.videoHostUrl}/videos/${id}.mp4`);
		expect(item.json.completed_at).toEqual(expect.any(Number));
	});

	const urlFields: Array<TaskScript['urlField']> = ['url', 'output', 'data'];
	it.each(urlFields)('finds the URL when CometAPI puts it in "%s"', async (urlField) => {
		const id = await createTask({ urlField });
		sim.advance(id, 2);
		expect((await retrieveTask(id)).json.video_url).toBe(`${sim.videoHostUrl}/videos/${id}.mp4`);
	});

	it('has no URL when CometAPI gives none', async () => {
		const id = await createTask({ videoUrl: 'none' });
		sim.advance(id, 2);
		const item = await retrieveTask(id);
		expect(item.json).toMatchObject({ status: 'completed', video_url: null });
	});

	it.each<[Partial<TaskScript>, string]>([
		[{ statusCase: 'upper' }, 'completed'],
		[{ statusCase: 'title' }, 'completed'],
		[{ terminalStatusName: 'succeeded' }, 'completed'],
		[{ terminalStatusName: 'success' }, 'completed'],
	])('reads status spellings tolerantly: %j', async (script, status) => {
		const id = await createTask(script);
		sim.advance(id, 2);
		expect((await retrieveTask(id)).json.status).toBe(status);
	});

	it.each<TaskScript['failure']>(['error-object', 'error-string', 'fail_reason', 'status-error'])(
		'a failed task, failure shape "%s", gives its reason in "error"',
		async (failure) => {
			const id = await createTask({ outcome: 'failed', failure });
			sim.advance(id, 2);
			const item = await retrieveTask(id);
			expect(item.json).toMatchObject({ id, status: 'failed', error: FAILURE_MESSAGE });
		},
	);

	it('a cancelled task', async () => {
		const id = await createTask({ outcome: 'failed', terminalStatusName: 'cancelled' });
		sim.advance(id, 2);
		expect((await retrieveTask(id)).json.status).toBe('cancelled');
	});

	it('shows task_id answers under the same id', async () => {
		const id = await createTask({ withTaskId: true });
		expect((await retrieveTask(id)).json.id).toBe(id);
	});

	it('an unknown id is CometAPI 404 error naming the item', async () => {
		const result = await runOnSimulator(sim, {
			parameters: retrieve,
			items: [{ json: { id: 'task_missing' } }],
		});
		const error = result.nodeError('Veo');
		expect(error?.message).toMatch(/CometAPI error 404/);
		expect(error?.context?.itemIndex).toBe(0);
	});
});
