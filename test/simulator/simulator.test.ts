/* eslint-disable @n8n/community-nodes/no-restricted-imports -- a test of the simulator: a gzip of its own to compare with */
import { sleep } from 'n8n-workflow';
import { gzipSync } from 'node:zlib';
import {
	classifyHttpRefusal,
	classifyTaskFailure,
} from '../../nodes/CometApiVeo/cometapi/failure-kind';
import {
	FAILURE_MESSAGE,
	FAILURE_REASONS,
	RAI_SUPPORT_CODES,
	readFixture,
	startSimulator,
	videoDigest,
	type CometApiSimulator,
	type FailureReasonName,
	type TaskScript,
} from '../../dev/simulator';

// The simulator itself, driven over real HTTP with Node's fetch.
const png = readFixture('firstFrame');
const jpg = readFixture('lastFrame');
const mp4 = readFixture('sampleVideo');

let sim: CometApiSimulator;

beforeAll(async () => {
	sim = await startSimulator();
});
afterEach(() => sim.reset());
afterAll(async () => sim.close());

function auth(): Record<string, string> {
	return { authorization: `Bearer ${sim.apiKey}` };
}

function form(
	fields: Record<string, string>,
	files: Array<{ data: Buffer; type: string; name: string; field?: string }> = [],
): FormData {
	const body = new FormData();
	for (const [name, value] of Object.entries(fields)) body.append(name, value);
	for (const file of files)
		body.append(
			file.field ?? 'input_reference',
			new Blob([new Uint8Array(file.data)], { type: file.type }),
			file.name,
		);
	return body;
}

async function create(
	fields: Record<string, string> = { prompt: 'a cat surfing' },
): Promise<Record<string, unknown>> {
	const res = await fetch(`${sim.baseUrl}/v1/videos`, {
		method: 'POST',
		headers: auth(),
		body: form(fields),
	});
	expect(res.status).toBe(200);
	return (await res.json()) as Record<string, unknown>;
}

async function getTask(id: string): Promise<Record<string, unknown>> {
	const res = await fetch(`${sim.baseUrl}/v1/videos/${id}`, { headers: auth() });
	expect(res.status).toBe(200);
	return (await res.json()) as Record<string, unknown>;
}

async function createAndFinish(): Promise<string> {
	const { id } = await create();
	await getTask(id as string);
	await getTask(id as string);
	return id as string;
}

describe('auth and routing', () => {
	it('answers 401 with the CometAPI envelope without a key or with a wrong one', async () => {
		const attempts: Array<Record<string, string>> = [
			{},
			{ authorization: 'Bearer sk-wrong' },
			{ authorization: sim.apiKey },
		];
		for (const headers of attempts) {
			const res = await fetch(`${sim.baseUrl}/v1/models`, { headers });
			expect(res.status).toBe(401);
			const body = (await res.json()) as { error: Record<string, string> };
			expect(body.error).toMatchObject({
				type: 'comet_api_error',
				param: '',
				code: 'invalid_api_key',
			});
			expect(body.error.message).toMatch(/^Invalid token \(request id: \w+\)$/);
		}
		expect(sim.requests.map((r) => r.status)).toEqual([401, 401, 401]);
	});

	it('lists the Veo aliases among other models', async () => {
		const res = await fetch(`${sim.baseUrl}/v1/models`, { headers: auth() });
		const body = (await res.json()) as {
			object: string;
			data: Array<{ id: string; owned_by: string }>;
		};
		expect(body.object).toBe('list');
		expect(body.data.map((m) => m.id)).toEqual(
			expect.arrayContaining(['veo3-fast', 'veo3.1-pro', 'veo3-frames', 'gpt-4o-mini']),
		);
	});

	it('answers a wrong path with a 301 and an HTML body', async () => {
		const res = await fetch(`${sim.baseUrl}/v1/video`, { headers: auth(), redirect: 'manual' });
		expect(res.status).toBe(301);
		expect(res.headers.get('content-type')).toMatch(/text\/html/);
		expect(res.headers.get('location')).toBe('/');
		expect(await res.text()).toMatch(/<html>/);
	});
});

describe('create', () => {
	it('creates a text-only job and records its fields', async () => {
		const task = await create({ prompt: 'a cat surfing', model: 'veo3.1-fast', seconds: '8' });
		expect(task).toMatchObject({
			object: 'video',
			model: 'veo_3_1-fast',
			progress: 0,
			seconds: '8',
			size: '16x9',
			status: 'queued',
		});
		expect(task.id).toMatch(/^task_[A-Za-z0-9]{32}$/);
		expect(typeof task.created_at).toBe('number');
		expect(task).not.toHaveProperty('task_id');

		const [record] = sim.creates();
		expect(record).toMatchObject({
			server: 'api',
			method: 'POST',
			status: 200,
			taskId: task.id,
			files: [],
		});
		expect(record.fields).toEqual({ prompt: 'a cat surfing', model: 'veo3.1-fast', seconds: '8' });
		expect(record.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(sim.tasks.get(task.id as string)).toMatchObject({
			prompt: 'a cat surfing',
			requestedModel: 'veo3.1-fast',
			references: 0,
		});
	});

	it('records two frames in order with their names, types and bytes', async () => {
		const body = form({ prompt: 'from first to last', model: 'veo3-frames' }, [
			{ data: png, type: 'image/png', name: 'first-frame.png' },
			{ data: jpg, type: 'image/jpeg', name: 'last-frame.jpg' },
		]);
		const res = await fetch(`${sim.baseUrl}/v1/videos`, { method: 'POST', headers: auth(), body });
		expect(res.status).toBe(200);

		const [record] = sim.creates();
		expect(
			record.files.map(({ field, filename, contentType }) => ({ field, filename, contentType })),
		).toEqual([
			{ field: 'input_reference', filename: 'first-frame.png', contentType: 'image/png' },
			{ field: 'input_reference', filename: 'last-frame.jpg', contentType: 'image/jpeg' },
		]);
		expect(record.files[0].data.equals(png)).toBe(true);
		expect(record.files[1].data.equals(jpg)).toBe(true);
	});

	it.each([
		[
			'more than two frames',
			{ prompt: 'p' },
			[png, jpg, png].map((data) => ({ data, type: 'image/png', name: 'f.png' })),
			/At most 2/,
		],
		[
			'a file under another field',
			{ prompt: 'p' },
			[{ data: png, type: 'image/png', name: 'f.png', field: 'image' }],
			/Unexpected file field "image"/,
		],
		[
			'a file that is not an image',
			{ prompt: 'p' },
			[{ data: readFixture('notes'), type: 'image/png', name: 'notes.png' }],
			/not a supported image/,
		],
		['no prompt', { model: 'veo3' }, [], /prompt/],
		['a blank prompt', { prompt: '   ' }, [], /prompt/],
		['an unknown size', { prompt: 'p', size: '4x3' }, [], /size/],
		['an unknown duration', { prompt: 'p', seconds: '5' }, [], /seconds/],
	])(
		'rejects %s with a 400 envelope and creates nothing',
		async (_name, fields, files, message) => {
			const res = await fetch(`${sim.baseUrl}/v1/videos`, {
				method: 'POST',
				headers: auth(),
				body: form(fields, files),
			});
			expect(res.status).toBe(400);
			const body = (await res.json()) as { error: { message: string; type: string } };
			expect(body.error.type).toBe('comet_api_error');
			expect(body.error.message).toMatch(message);
			expect(sim.tasks.size).toBe(0);
			expect(sim.creates()).toHaveLength(1);
		},
	);

	it('rejects a body that is not multipart', async () => {
		const res = await fetch(`${sim.baseUrl}/v1/videos`, {
			method: 'POST',
			headers: { ...auth(), 'content-type': 'application/json' },
			body: JSON.stringify({ prompt: 'p' }),
		});
		expect(res.status).toBe(400);
		expect(sim.creates()[0].body.toString()).toBe('{"prompt":"p"}');
	});
});

describe('task clock and answers', () => {
	it('poll clock: create queued, 1st GET in_progress, 2nd GET completed with a video host URL', async () => {
		const { id } = await create();
		const first = await getTask(id as string);
		expect(first).toMatchObject({ status: 'in_progress', progress: 50 });
		expect(first).not.toHaveProperty('video_url');
		const second = await getTask(id as string);
		expect(second).toMatchObject({
			status: 'completed',
			progress: 100,
			video_url: `${sim.videoHostUrl}/videos/${id}.mp4`,
		});
		expect(typeof second.completed_at).toBe('number');
		expect(await getTask(id as string)).toMatchObject({ status: 'completed' });
		expect(new URL(sim.videoHostUrl).hostname).not.toBe(new URL(sim.baseUrl).hostname);
	});

	it('answers 404 for an unknown task', async () => {
		const res = await fetch(`${sim.baseUrl}/v1/videos/task_unknown`, { headers: auth() });
		expect(res.status).toBe(404);
	});

	it('serves the content bytes once completed and a 400 before', async () => {
		const { id } = await create();
		const early = await fetch(`${sim.baseUrl}/v1/videos/${id}/content`, { headers: auth() });
		expect(early.status).toBe(400);
		expect(((await early.json()) as { error: { message: string } }).error.message).toMatch(
			/video is not ready/,
		);

		await getTask(id as string);
		await getTask(id as string);
		const res = await fetch(`${sim.baseUrl}/v1/videos/${id}/content?variant=video`, {
			headers: auth(),
		});
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('video/mp4');
		expect(res.headers.get('content-length')).toBe(String(mp4.length));
		expect(Buffer.from(await res.arrayBuffer()).equals(mp4)).toBe(true);
	});

	it('the video host serves the bytes without auth and records the headers it got', async () => {
		const id = await createAndFinish();
		const res = await fetch(`${sim.videoHostUrl}/videos/${id}.mp4`, {
			headers: { 'x-probe': 'yes' },
		});
		expect(res.status).toBe(200);
		expect(Buffer.from(await res.arrayBuffer()).equals(mp4)).toBe(true);

		const download = sim.requests.find((r) => r.server === 'video');
		expect(download).toMatchObject({ path: `/videos/${id}.mp4`, status: 200, taskId: id });
		expect(download?.headers['x-probe']).toBe('yes');
		expect(download?.headers).not.toHaveProperty('authorization');
		expect((await fetch(`${sim.videoHostUrl}/videos/task_nope.mp4`)).status).toBe(404);
	});

	it('content can redirect to the video host or answer JSON with its URL', async () => {
		sim.script({ content: 'redirect' });
		const redirected = await createAndFinish();
		const res = await fetch(`${sim.baseUrl}/v1/videos/${redirected}/content`, {
			headers: auth(),
			redirect: 'manual',
		});
		expect(res.status).toBe(302);
		expect(res.headers.get('location')).toBe(`${sim.videoHostUrl}/videos/${redirected}.mp4`);

		sim.script({ content: 'json-url' });
		const pointed = await createAndFinish();
		const json = await fetch(`${sim.baseUrl}/v1/videos/${pointed}/content`, { headers: auth() });
		expect(await json.json()).toEqual({ url: `${sim.videoHostUrl}/videos/${pointed}.mp4` });
	});

	it.each<[Partial<TaskScript>, Record<string, unknown>]>([
		[
			{ failure: 'error-object' },
			{ status: 'failed', error: { code: 'content_policy_violation', message: FAILURE_MESSAGE } },
		],
		[{ failure: 'error-string' }, { status: 'failed', error: FAILURE_MESSAGE }],
		[{ failure: 'fail_reason' }, { status: 'failed', fail_reason: FAILURE_MESSAGE }],
		[
			{ failure: 'status-error' },
			{ status: 'error', error: { code: 'content_policy_violation', message: FAILURE_MESSAGE } },
		],
		[
			{ failure: 'fail_reason', terminalStatusName: 'cancelled', statusCase: 'upper' },
			{ status: 'CANCELLED', fail_reason: FAILURE_MESSAGE },
		],
	])('a failed script answers %j', async (script, expected) => {
		sim.script({ outcome: 'failed', ...script });
		const { id } = await create();
		await getTask(id as string);
		const failed = await getTask(id as string);
		expect(failed).toMatchObject({ ...expected, progress: 50 });
		expect(failed).not.toHaveProperty('video_url');
		expect(failed).not.toHaveProperty('completed_at');
	});

	it('scripts the URL field, casing, terminal name, task_id and expires_at', async () => {
		sim.script({
			urlField: 'data',
			videoUrl: 'api-content',
			statusCase: 'title',
			terminalStatusName: 'succeeded',
			withTaskId: true,
			expiresAt: true,
			resolvedModel: 'veo_3_1-4K',
		});
		const created = await create();
		expect(created).toMatchObject({ status: 'Queued', task_id: created.id, model: 'veo_3_1-4K' });
		expect(await getTask(created.id as string)).toMatchObject({ status: 'In_Progress' });
		const done = await getTask(created.id as string);
		expect(done).toMatchObject({
			status: 'Succeeded',
			data: [{ url: `${sim.baseUrl}/v1/videos/${created.id}/content` }],
		});
		expect(done.expires_at).toBeGreaterThan(done.completed_at as number);
	});

	it('a script function sees each create and an outcome of never stays in progress', async () => {
		sim.script((req) => (req.fields.prompt === 'stuck' ? { outcome: 'never' } : {}));
		const stuck = await create({ prompt: 'stuck' });
		const fine = await create({ prompt: 'fine' });
		for (let i = 0; i < 4; i++) await getTask(stuck.id as string);
		expect(await getTask(stuck.id as string)).toMatchObject({ status: 'in_progress' });
		await getTask(fine.id as string);
		expect(await getTask(fine.id as string)).toMatchObject({ status: 'completed' });
	});

	it('streams a generated video of a given size', async () => {
		sim.script({ videoSize: 3 * 1024 * 1024 + 7 });
		const id = await createAndFinish();
		const res = await fetch(`${sim.baseUrl}/v1/videos/${id}/content`, { headers: auth() });
		const bytes = Buffer.from(await res.arrayBuffer());
		expect(bytes.length).toBe(3 * 1024 * 1024 + 7);
		expect(videoDigest(bytes)).toBe(videoDigest({ size: 3 * 1024 * 1024 + 7 }));
	});
});

describe('failure words', () => {
	async function failedTask(script: Partial<TaskScript>): Promise<Record<string, unknown>> {
		sim.script({ outcome: 'failed', ...script });
		const { id } = await create();
		await getTask(id as string);
		return await getTask(id as string);
	}

	async function refusedCreate(fields: Record<string, string>) {
		const res = await fetch(`${sim.baseUrl}/v1/videos`, {
			method: 'POST',
			headers: auth(),
			body: form(fields),
		});
		return { status: res.status, body: (await res.json()) as { error: Record<string, string> } };
	}

	// What the node's classifier makes of each: the simulator plays words the node must know.
	const KIND: Record<FailureReasonName, string> = {
		'content-policy': 'content_refused',
		'veo-usage-guidelines': 'content_refused',
		'veo-image-guidelines': 'content_refused',
		'rai-filtered': 'content_refused',
		moderation: 'content_refused',
		'generation-failed': 'upstream_failed',
		'unknown-words': 'upstream_failed',
	};

	it.each(Object.keys(FAILURE_REASONS) as FailureReasonName[])(
		'a failed task gives the %s words in each shape',
		async (failureReason) => {
			const { code, message } = FAILURE_REASONS[failureReason];
			const shapes: Array<[TaskScript['failure'], Record<string, unknown>]> = [
				['error-object', { status: 'failed', error: { code, message } }],
				['error-string', { status: 'failed', error: message }],
				['fail_reason', { status: 'failed', fail_reason: message }],
				['status-error', { status: 'error', error: { code, message } }],
			];
			for (const [failure, expected] of shapes) {
				const task = await failedTask({ failure, failureReason });
				expect(task).toMatchObject(expected);
				expect(classifyTaskFailure(task).kind).toBe(KIND[failureReason]);
			}
		},
	);

	it("rai-filtered passes Google's RAI fields through beside the message", async () => {
		const task = await failedTask({ failure: 'rai-filtered', failureReason: 'rai-filtered' });
		expect(task).toMatchObject({
			status: 'failed',
			error: { message: 'Gemini filtered the generated media.' },
			raiMediaFilteredCount: 1,
			raiMediaFilteredReasons: RAI_SUPPORT_CODES,
		});
		// The fields alone say so, whatever the message.
		const unknown = await failedTask({ failure: 'rai-filtered', failureReason: 'unknown-words' });
		expect(classifyTaskFailure(unknown).kind).toBe('content_refused');
	});

	it.each<[TaskScript['refuseCreate'], Record<string, string>, RegExp, string, string]>([
		['content-policy', {}, /safety system/, 'content_policy_violation', 'content_refused'],
		[
			'policy-message-only',
			{},
			/usage guidelines\. Support codes: 29310472 /,
			'',
			'content_refused',
		],
		[
			'size-for-alias',
			{ size: '3840x2160', model: 'veo3-fast' },
			/^size 3840x2160 is not supported by model veo3-fast/,
			'invalid_request',
			'invalid_request',
		],
		[
			'seconds-for-alias',
			{ seconds: '4', model: 'veo3' },
			/^seconds 4 is not supported by model veo3: it makes 8 second clips/,
			'invalid_request',
			'invalid_request',
		],
	])(
		'refuseCreate %s answers a 400 envelope and bills nothing',
		async (refuseCreate, fields, message, code, kind) => {
			sim.script({ refuseCreate });
			const { status, body } = await refusedCreate({ prompt: 'p', ...fields });
			expect(status).toBe(400);
			expect(body.error).toMatchObject({ type: 'comet_api_error', code });
			expect(body.error.message).toMatch(message);
			expect(body.error.message).toMatch(/\(request id: \w+\)$/);
			expect(classifyHttpRefusal(status, body).kind).toBe(kind);
			expect(sim.tasks.size).toBe(0);
			expect(sim.creates()[0]).toMatchObject({ status: 400, taskId: undefined });
		},
	);

	it('a script picks by prompt: the first create is refused, the rewritten one succeeds', async () => {
		sim.script((request) =>
			request.fields.prompt?.includes('explosion') ? { refuseCreate: 'content-policy' } : {},
		);
		expect((await refusedCreate({ prompt: 'a huge explosion in a city' })).status).toBe(400);
		const retried = await create({ prompt: 'a calm city street at dawn' });
		expect(retried.status).toBe('queued');
		expect(sim.creates().map((request) => request.status)).toEqual([400, 200]);
		expect([...sim.tasks.values()].map((task) => task.prompt)).toEqual([
			'a calm city street at dawn',
		]);
	});
});

describe('other clocks', () => {
	it('manual clock: only advance() moves a task', async () => {
		const manual = await startSimulator({ clock: 'manual' });
		try {
			const headers = { authorization: `Bearer ${manual.apiKey}` };
			const body = new FormData();
			body.append('prompt', 'p');
			const { id } = (await (
				await fetch(`${manual.baseUrl}/v1/videos`, { method: 'POST', headers, body })
			).json()) as { id: string };
			const status = async (): Promise<unknown> =>
				(
					(await (await fetch(`${manual.baseUrl}/v1/videos/${id}`, { headers })).json()) as {
						status: string;
					}
				).status;
			expect(await status()).toBe('queued');
			expect(await status()).toBe('queued');
			manual.advance(id);
			expect(await status()).toBe('in_progress');
			manual.advance(undefined, 5);
			expect(await status()).toBe('completed');
		} finally {
			await manual.close();
		}
	});

	it('time clock: status follows the time since create', async () => {
		const timed = await startSimulator({ clock: 'time', stepMs: 100, apiKey: 'sk-other' });
		try {
			const headers = { authorization: 'Bearer sk-other' };
			const body = new FormData();
			body.append('prompt', 'p');
			const { id } = (await (
				await fetch(`${timed.baseUrl}/v1/videos`, { method: 'POST', headers, body })
			).json()) as { id: string };
			await sleep(250);
			const task = (await (
				await fetch(`${timed.baseUrl}/v1/videos/${id}`, { headers })
			).json()) as { status: string };
			expect(task.status).toBe('completed');
		} finally {
			await timed.close();
		}
	});
});

describe('faults', () => {
	it('status 429 with Retry-After answers the envelope without touching state', async () => {
		sim.fault({
			match: { method: 'POST', path: /^\/v1\/videos$/ },
			kind: 'status',
			status: 429,
			retryAfter: '2',
		});
		const res = await fetch(`${sim.baseUrl}/v1/videos`, {
			method: 'POST',
			headers: auth(),
			body: form({ prompt: 'p' }),
		});
		expect(res.status).toBe(429);
		expect(res.headers.get('retry-after')).toBe('2');
		expect(((await res.json()) as { error: { type: string } }).error.type).toBe('comet_api_error');
		expect(sim.tasks.size).toBe(0);
		expect(sim.creates()[0]).toMatchObject({ status: 429, fault: 'status' });
		await create(); // used up: the next create goes through
		expect(sim.tasks.size).toBe(1);
	});

	it('accept-then-reset creates (bills) the task, then drops the connection', async () => {
		sim.fault({ match: { path: /^\/v1\/videos$/ }, kind: 'accept-then-reset' });
		await expect(
			fetch(`${sim.baseUrl}/v1/videos`, {
				method: 'POST',
				headers: auth(),
				body: form({ prompt: 'p' }),
			}),
		).rejects.toThrow();
		expect(sim.tasks.size).toBe(1);
		const [record] = sim.creates();
		expect(record.taskId).toBe([...sim.tasks.keys()][0]);
		expect(record.status).toBeUndefined();
	});

	it('accept-then-500 creates the task and answers a 500 envelope', async () => {
		sim.fault({ match: { path: /^\/v1\/videos$/ }, kind: 'accept-then-500' });
		const res = await fetch(`${sim.baseUrl}/v1/videos`, {
			method: 'POST',
			headers: auth(),
			body: form({ prompt: 'p' }),
		});
		expect(res.status).toBe(500);
		expect(sim.tasks.size).toBe(1);
	});

	it('reset-before drops the connection before anything happens', async () => {
		sim.fault({ match: { path: /^\/v1\/videos$/ }, kind: 'reset-before', times: 2 });
		for (let i = 0; i < 2; i++) {
			await expect(
				fetch(`${sim.baseUrl}/v1/videos`, {
					method: 'POST',
					headers: auth(),
					body: form({ prompt: 'p' }),
				}),
			).rejects.toThrow();
		}
		expect(sim.tasks.size).toBe(0);
		await create();
	});

	it.each(['reset-mid-body', 'short-body'] as const)(
		'%s cuts a video download in half',
		async (kind) => {
			const id = await createAndFinish();
			sim.fault({ match: { server: 'video' }, kind });
			const res = await fetch(`${sim.videoHostUrl}/videos/${id}.mp4`);
			expect(res.headers.get('content-length')).toBe(String(mp4.length));
			await expect(res.arrayBuffer()).rejects.toThrow();
			const ok = await fetch(`${sim.videoHostUrl}/videos/${id}.mp4`);
			expect(Buffer.from(await ok.arrayBuffer()).equals(mp4)).toBe(true);
		},
	);

	it('html-301 and delay', async () => {
		sim.fault({ match: { path: /^\/v1\/models$/ }, kind: 'html-301' });
		sim.fault({ match: { path: /^\/v1\/models$/ }, kind: 'delay', delayMs: 150 });
		const moved = await fetch(`${sim.baseUrl}/v1/models`, { headers: auth(), redirect: 'manual' });
		expect(moved.status).toBe(301);
		const started = Date.now();
		expect((await fetch(`${sim.baseUrl}/v1/models`, { headers: auth() })).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
	});
});

describe('faults a soak draws', () => {
	const video = (id: string) => `${sim.videoHostUrl}/videos/${id}.mp4`;

	it('gzip compresses the body and announces the compressed length, as real servers do', async () => {
		const id = await createAndFinish();
		sim.fault({ match: { server: 'video' }, kind: 'gzip' });
		const res = await fetch(video(id));
		expect(res.headers.get('content-encoding')).toBe('gzip');
		expect(res.headers.get('content-length')).toBe(String(gzipSync(mp4).length));
		expect(Buffer.from(await res.arrayBuffer()).equals(mp4)).toBe(true); // fetch decodes it
		expect(sim.requests.at(-1)).toMatchObject({ fault: 'gzip', status: 200, sentWhole: true });
	});

	it('slow-body sends the whole body in pieces with pauses', async () => {
		const id = await createAndFinish();
		sim.fault({ match: { server: 'video' }, kind: 'slow-body', pieces: 3, delayMs: 30 });
		const res = await fetch(video(id));
		const reader = res.body!.getReader();
		const chunks: Uint8Array[] = [];
		for (let read = await reader.read(); !read.done; read = await reader.read())
			chunks.push(read.value);
		expect(chunks.length).toBeGreaterThanOrEqual(3);
		expect(Buffer.concat(chunks).equals(mp4)).toBe(true);
		expect(sim.requests.at(-1)).toMatchObject({ fault: 'slow-body', sentWhole: true });
	});

	it('empty-body answers the route with Content-Length 0; a cut body is not sent whole', async () => {
		const id = await createAndFinish();
		sim.fault({ match: { server: 'video' }, kind: 'empty-body' });
		const res = await fetch(video(id));
		expect(res.status).toBe(200);
		expect(res.headers.get('content-length')).toBe('0');
		expect((await res.arrayBuffer()).byteLength).toBe(0);
		sim.fault({ match: { server: 'video' }, kind: 'reset-mid-body' });
		await expect((await fetch(video(id))).arrayBuffer()).rejects.toThrow();
		expect(sim.requests.at(-1)).toMatchObject({ fault: 'reset-mid-body', status: 200 });
		expect(sim.requests.at(-1)?.sentWhole).toBeUndefined();
	});

	it('redirect sends the client to the same video on the video host, from either host', async () => {
		const id = await createAndFinish();
		sim.fault({ match: { server: 'video' }, kind: 'redirect' });
		sim.fault({ match: { path: /\/content$/ }, kind: 'redirect' });
		for (const url of [video(id), `${sim.baseUrl}/v1/videos/${id}/content`]) {
			const res = await fetch(url, {
				headers: url.startsWith(sim.baseUrl) ? auth() : {},
				redirect: 'manual',
			});
			expect(res.status).toBe(302);
			expect(res.headers.get('location')).toBe(video(id));
		}
		const followed = await fetch(video(id));
		expect(Buffer.from(await followed.arrayBuffer()).equals(mp4)).toBe(true);
	});

	it('not-json answers 200 with an HTML page and not-found the 404 of an unknown task; neither moves the task', async () => {
		const { id } = await create();
		sim.fault({ match: { method: 'GET' }, kind: 'not-json' });
		sim.fault({ match: { method: 'GET' }, kind: 'not-found' });
		const page = await fetch(`${sim.baseUrl}/v1/videos/${id as string}`, { headers: auth() });
		expect(page.status).toBe(200);
		expect(page.headers.get('content-type')).toMatch(/^text\/html/);
		expect(await page.text()).toMatch(/<html>/);
		const missing = await fetch(`${sim.baseUrl}/v1/videos/${id as string}`, { headers: auth() });
		expect(missing.status).toBe(404);
		expect(
			((await missing.json()) as { error: { code: string; message: string } }).error,
		).toMatchObject({
			code: 'task_not_found',
			message: expect.stringContaining(`Task ${id as string} not found`),
		});
		expect((await getTask(id as string)).status).toBe('in_progress');
	});

	it('a fault picker sees each request with its fields; queued faults come first; reset() stops it', async () => {
		const seen: string[] = [];
		sim.faultsBy((request) => {
			seen.push(`${request.method} ${request.fields.prompt ?? request.path}`);
			return request.method === 'POST' ? { kind: 'status', status: 503 } : undefined;
		});
		const refused = await fetch(`${sim.baseUrl}/v1/videos`, {
			method: 'POST',
			headers: auth(),
			body: form({ prompt: 'drawn' }),
		});
		expect(refused.status).toBe(503);
		sim.fault({ match: { method: 'POST' }, kind: 'status', status: 429 });
		expect(
			(
				await fetch(`${sim.baseUrl}/v1/videos`, {
					method: 'POST',
					headers: auth(),
					body: form({ prompt: 'queued' }),
				})
			).status,
		).toBe(429);
		expect(seen).toEqual(['POST drawn']);
		expect(sim.creates().map((request) => request.fault)).toEqual(['status', 'status']);
		sim.reset();
		await create();
		expect(seen).toEqual(['POST drawn']);
	});
});

describe('records', () => {
	it('maxJobsInFlight counts overlapping jobs by request order', async () => {
		const a = await create();
		const b = await create();
		await getTask(a.id as string);
		await getTask(b.id as string);
		await getTask(a.id as string);
		await getTask(b.id as string);
		expect(sim.maxJobsInFlight()).toBe(2);
		expect(sim.requestsFor(a.id as string).map((r) => r.method)).toEqual(['POST', 'GET', 'GET']);

		sim.reset();
		await createAndFinish();
		await createAndFinish();
		expect(sim.maxJobsInFlight()).toBe(1);
		expect(sim.requests[0].seq).toBe(1);
	});
});
