/* eslint-disable @n8n/community-nodes/no-restricted-globals -- a test reading SOAK_SEED and SOAK_VERBOSE and printing its seed */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { binaryBytes } from '../../dev/engine/binary-data';
import { fastRuntime } from '../../dev/engine/fast-runtime';
import type { WorkflowRun } from '../../dev/engine/run-workflow';
import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import type { TestItem } from '../../dev/engine/test-nodes';
import { runOnSimulator } from '../../dev/engine/workflows';
import type { Runtime } from '../../nodes/CometApiVeo/transport/runtime';
import type {
	CometApiSimulator,
	DrawnFault,
	RecordedRequest,
	TaskScript,
	TaskStep,
} from '../../dev/simulator';
import { readFixture, videoDigest } from '../../dev/simulator';

/*
 * Issue 10's fault soak. The simulator draws a fault for every request from SOAK_SEED, keyed by
 * what the request is to the node (this item's 2nd poll, its 1st download...), so a seed draws
 * the same faults whatever order concurrent requests arrive in. A few hundred items go through
 * the node in batches (with and without Continue On Fail, Max Concurrent Jobs drawn, a small
 * Max Wait so stuck jobs time out), and each batch is checked against invariants, not examples.
 * A failure names the seed: SOAK_SEED=<n> npx jest test/batch/soak.test.ts runs the same draws again.
 *
 * Invariants: (1) every id CometAPI told the node (a create answered 200 in full) is in the output
 * or the node's error, and each item carries its own job; (2) a create is sent again only after a
 * 429, so never two jobs for one item; (3) without Continue On Fail, at most k-1 creates (those
 * already on the wire) arrive after the batch failed; (4) the key never reaches the video host;
 * (5) a delivered video is byte for byte the one served; (6) every failure has a message;
 * (7) no job is polled past Max Wait.
 */
const SEED =
	process.env.SOAK_SEED !== undefined ? Number(process.env.SOAK_SEED) : Date.now() % 1_000_000_007;
if (!Number.isSafeInteger(SEED))
	throw new Error(`SOAK_SEED must be a whole number, not ${JSON.stringify(process.env.SOAK_SEED)}`);

/**
 * The node's clock runs this many times faster while it sleeps (fastRuntime). Lower than the
 * usual 100 so that a few milliseconds of real latency under load (which the warped clock also
 * speeds up while other jobs sleep) stay well inside the Max Wait margin below.
 */
const CLOCK_SCALE = 25;
const POLL_INTERVAL_S = 1;
const MAX_WAIT_MINUTES = 0.15;
const MAX_WAIT_MS = MAX_WAIT_MINUTES * 60_000;
/**
 * How far past Max Wait (on the node's clock) an item's last poll may arrive: the deadline runs
 * from the create's answer and the last poll may follow the final sleep. Checked where one job
 * runs at a time: the test clock runs fast while ANY job sleeps, so with several jobs a few real
 * milliseconds of one job's latency show as seconds on it. Every batch is checked by counting polls.
 */
const MAX_WAIT_MARGIN_MS = 5_000;
/** The download stall limit on the node's clock; a 'stall' pause is far longer on any clock. */
const DOWNLOAD_STALL_MS = 20_000;
const STALL_PAUSE_MS = 600;

interface Batch {
	name: string;
	items: number;
	concurrency: number;
	continueOnFail: boolean;
	onTimeout: 'return' | 'error';
	/** Scales the faults that end an item (failed jobs, refused creates, exhausted retries). */
	harm: number;
}

// ---- Seeded draws ----

/** A number in [0, 1) fixed by the seed and the key alone. */
function draw(...key: Array<string | number>): number {
	let h1 = 0xdeadbeef ^ SEED;
	let h2 = 0x41c6ce57 ^ SEED;
	for (const ch of key.join('|')) {
		const c = ch.charCodeAt(0);
		h1 = Math.imul(h1 ^ c, 2654435761);
		h2 = Math.imul(h2 ^ c, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return ((h2 >>> 0) * 2 ** 21 + (h1 >>> 11)) / 2 ** 53;
}

function pick<T>(roll: number, options: Array<[number, T]>): T | undefined {
	let edge = 0;
	for (const [weight, value] of options) {
		edge += weight;
		if (roll < edge) return value;
	}
	return undefined;
}

function integer(min: number, max: number, ...key: Array<string | number>): number {
	return min + Math.floor(draw(...key) * (max - min + 1));
}

const BATCHES: Batch[] = [
	{
		name: 'continue on fail, wide',
		items: 80,
		concurrency: integer(6, 12, 'k', 1),
		continueOnFail: true,
		onTimeout: 'return',
		harm: 1,
	},
	{
		name: 'continue on fail, timeouts raise',
		items: 40,
		concurrency: integer(2, 6, 'k', 2),
		continueOnFail: true,
		onTimeout: 'error',
		harm: 1,
	},
	{
		name: 'continue on fail, one at a time',
		items: 12,
		concurrency: 1,
		continueOnFail: true,
		onTimeout: 'return',
		harm: 1,
	},
	{
		name: 'continue on fail, narrow',
		items: 40,
		concurrency: integer(2, 4, 'k', 3),
		continueOnFail: true,
		onTimeout: 'return',
		harm: 1,
	},
	{
		name: 'stop on fail, narrow',
		items: 50,
		concurrency: integer(2, 4, 'k', 4),
		continueOnFail: false,
		onTimeout: 'return',
		harm: 0.3,
	},
	{
		name: 'stop on fail, wide',
		items: 50,
		concurrency: integer(5, 10, 'k', 5),
		continueOnFail: false,
		onTimeout: 'return',
		harm: 0.3,
	},
	{
		name: 'stop on fail, one at a time',
		items: 30,
		concurrency: 1,
		continueOnFail: false,
		onTimeout: 'return',
		harm: 0.3,
	},
	{
		name: 'stop on fail, timeouts raise',
		items: 40,
		concurrency: integer(3, 8, 'k', 7),
		continueOnFail: false,
		onTimeout: 'error',
		harm: 0.3,
	},
];

// ---- What each job does at CometAPI ----

const MP4_HEAD = readFixture('sampleVideo').subarray(0, 32);

/** A video of its own for every prompt, so a mix-up between items shows. */
function videoFor(prompt: string): Buffer {
	const size = integer(2_000, 160_000, 'size', prompt);
	const video = Buffer.alloc(size);
	let state = (Math.floor(draw('bytes', prompt) * 2 ** 32) | 1) >>> 0;
	for (let i = 0; i + 4 <= size; i += 4) {
		state ^= state << 13;
		state ^= state >>> 17;
		state ^= state << 5;
		video.writeUInt32LE(state >>> 0, i);
	}
	MP4_HEAD.copy(video, 0);
	return video;
}

function scriptFor(prompt: string, harm: number): Partial<TaskScript> {
	const polls = integer(1, 4, 'polls', prompt);
	const steps: TaskStep[] = [
		...Array.from({ length: polls }, (_, i) => ({
			status: i === 0 ? 'queued' : 'in_progress',
			progress: i * 20,
		})),
		{ status: 'completed', progress: 100 },
	];
	const outcome =
		pick(draw('outcome', prompt), [
			[0.07 * harm, 'failed' as const],
			[0.1, 'never' as const],
		]) ?? 'completed';
	const words: Record<typeof outcome, Array<string | undefined>> = {
		completed: [undefined, undefined, undefined, 'succeeded', 'success'],
		failed: [undefined, undefined, 'cancelled', 'error'],
		never: [undefined],
	};
	const terminal = words[outcome];
	return {
		steps,
		outcome,
		failure: (['error-object', 'error-string', 'fail_reason', 'status-error'] as const)[
			integer(0, 3, 'failure', prompt)
		],
		statusCase:
			pick(draw('case', prompt), [
				[0.15, 'upper' as const],
				[0.1, 'title' as const],
			]) ?? 'lower',
		terminalStatusName: terminal[integer(0, terminal.length - 1, 'word', prompt)],
		videoUrl:
			pick(draw('url', prompt), [
				[0.2, 'api-content' as const],
				[0.1, 'none' as const],
			]) ?? 'video-host',
		urlField: (['video_url', 'video_url', 'url', 'output', 'data'] as const)[
			integer(0, 4, 'field', prompt)
		],
		content:
			pick(draw('content', prompt), [
				[0.3, 'redirect' as const],
				[0.2, 'json-url' as const],
			]) ?? 'bytes',
		video: videoFor(prompt),
		withTaskId: draw('task_id', prompt) < 0.3,
		expiresAt: draw('expires', prompt) < 0.3,
	};
}

// ---- The faults ----

const CREATE_PATH = /^\/v1\/videos$/;
const POLL_PATH = /^\/v1\/videos\/[^/]+$/;
type RequestKind = 'create' | 'poll' | 'download';

function kindOf(request: RecordedRequest): RequestKind | undefined {
	if (request.server === 'video') return 'download';
	if (request.method === 'POST' && CREATE_PATH.test(request.path)) return 'create';
	if (request.path.endsWith('/content')) return 'download';
	if (request.method === 'GET' && POLL_PATH.test(request.path)) return 'poll';
	return undefined;
}

const FIVE_XX = [500, 502, 503, 504, 524];

/** A burst of 5xx that started at an earlier request of the same kind may still be running. */
function burstCovers(key: string, ordinal: number, harm: number, rate: number): number | undefined {
	for (let start = Math.max(0, ordinal - 3); start <= ordinal; start++) {
		if (draw('burst', key, start) >= rate) continue;
		// Four in a row spend every attempt: the item then fails, as it should.
		const length =
			pick(draw('burst-length', key, start), [
				[0.45, 1],
				[0.3, 2],
				[0.2, 3],
				[0.05 * harm, 4],
			]) ?? 3;
		if (start + length > ordinal)
			return FIVE_XX[integer(0, FIVE_XX.length - 1, 'burst-status', key, start)];
	}
	return undefined;
}

function createFault(roll: number, harm: number): DrawnFault | undefined {
	return pick(roll, [
		[
			0.08,
			{ kind: 'status', status: 429, retryAfter: ['0', '1', '3'][Math.floor(roll * 1000) % 3] },
		],
		[0.05, { kind: 'gzip' }],
		[0.01 * harm, { kind: 'status', status: 503 }],
		[0.01 * harm, { kind: 'status', status: 500 }],
		[0.015 * harm, { kind: 'reset-before' }],
		[0.015 * harm, { kind: 'accept-then-500' }],
		[0.015 * harm, { kind: 'accept-then-reset' }],
		[0.005 * harm, { kind: 'not-json' }],
	]);
}

function pollFault(roll: number, ordinal: number): DrawnFault | undefined {
	// Right after its create, a task may not be visible yet.
	if (ordinal === 0 && roll < 0.15) return { kind: 'not-found' };
	return pick(roll, [
		[
			0.05,
			{ kind: 'status', status: 429, retryAfter: ['0', '1', '2'][Math.floor(roll * 1000) % 3] },
		],
		[0.02, { kind: 'reset-before' }],
		[0.02, { kind: 'accept-then-reset' }],
		[0.02, { kind: 'reset-mid-body' }],
		[0.01, { kind: 'short-body' }],
		[0.01, { kind: 'empty-body' }],
		[0.03, { kind: 'not-json' }],
		[0.03, { kind: 'slow-body', pieces: 3, delayMs: 5 }],
		[0.03, { kind: 'gzip' }],
		[0.01, { kind: 'delay', delayMs: 10 }],
	]);
}

function downloadFault(roll: number): DrawnFault | undefined {
	return pick(roll, [
		[0.08, { kind: 'redirect' }],
		[0.08, { kind: 'gzip' }],
		[0.05, { kind: 'slow-body', pieces: 4, delayMs: 10 }],
		[0.01, { kind: 'slow-body', pieces: 2, delayMs: STALL_PAUSE_MS }],
		[0.02, { kind: 'reset-before' }],
		[0.03, { kind: 'reset-mid-body' }],
		[0.03, { kind: 'short-body' }],
		[0.02, { kind: 'empty-body' }],
		[0.03, { kind: 'status', status: 429, retryAfter: '1' }],
	]);
}

// ---- Watching the node ----

/**
 * The node's runtime, fast as in every engine test, with two readings taken from it: its clock
 * (to stamp each request's arrival on the node's own time) and the moment the batch's abort
 * signal fired (the last request seq logged by then), seen through the signals the node sleeps on.
 */
class WatchedRuntime {
	readonly runtime: Runtime;
	/** seq of the last request logged when the batch failed; undefined until it has. */
	failedAfterSeq: number | undefined;
	private readonly watched = new WeakSet<AbortSignal>();

	constructor(private readonly sim: CometApiSimulator) {
		const base = fastRuntime({ scale: CLOCK_SCALE, downloadStallMs: DOWNLOAD_STALL_MS });
		this.runtime = {
			limits: base.limits,
			memo: base.memo,
			clock: {
				now: () => base.clock.now(),
				sleep: async (ms, signal) => {
					this.watch(signal);
					return await base.clock.sleep(ms, signal);
				},
			},
		};
	}

	now(): number {
		return this.runtime.clock.now();
	}

	private watch(signal: AbortSignal): void {
		if (this.watched.has(signal) || signal.aborted) return;
		this.watched.add(signal);
		signal.addEventListener(
			'abort',
			() => {
				// A download's own watchdog stopping aborts with a plain AbortError; the batch's
				// failure aborts with an Error naming the item.
				const reason = signal.reason as { name?: string } | undefined;
				if (reason?.name === 'AbortError' || this.failedAfterSeq !== undefined) return;
				this.failedAfterSeq = this.sim.requests.at(-1)?.seq ?? 0;
			},
			{ once: true },
		);
	}
}

// ---- Reading the outcome ----

interface ItemView {
	prompt: string;
	item?: INodeExecutionData;
	id?: string;
}

function idOf(json: IDataObject | undefined): string | undefined {
	if (!json) return undefined;
	if (typeof json.id === 'string') return json.id;
	const details = json.details as IDataObject | undefined;
	return typeof details?.id === 'string' ? details.id : undefined;
}

function history(sim: CometApiSimulator, prompt: string): string {
	const creates = sim.creates().filter((request) => request.fields.prompt === prompt);
	const ids = new Set(creates.map((request) => request.taskId).filter(Boolean));
	return sim.requests
		.filter(
			(request) =>
				creates.includes(request) || (request.taskId !== undefined && ids.has(request.taskId)),
		)
		.map(
			(request) =>
				`#${request.seq} ${request.method} ${request.path} -> ${request.status ?? 'none'}${request.fault ? ` [${request.fault}]` : ''}${request.sentWhole ? '' : ' (not whole)'}`,
		)
		.join('; ');
}

async function checkBatch(
	sim: CometApiSimulator,
	batch: Batch,
	prompts: string[],
	result: WorkflowRun,
	watched: WatchedRuntime,
	stamps: Map<number, number>,
): Promise<string[]> {
	const violations: string[] = [];
	const fail = (prompt: string | undefined, what: string) =>
		violations.push(`${what}${prompt ? `\n    item "${prompt}": ${history(sim, prompt)}` : ''}`);
	const error = result.nodeError('Veo');
	const output = result.output('Veo');
	const told = `${error?.message ?? ''}\n${error?.description ?? ''}`;
	const outputIds = new Set(output.map((item) => idOf(item.json)).filter(Boolean));
	const promptSet = new Set(prompts);

	// Continue On Fail: one item out per item in, in input order; without it, an error or all items.
	if (batch.continueOnFail || !error) {
		if (error) fail(undefined, `the node failed although Continue On Fail is on: ${error.message}`);
		if (output.length !== prompts.length)
			fail(undefined, `${output.length} items out for ${prompts.length} in`);
		output.forEach((item, index) => {
			if ((item.pairedItem as { item: number } | undefined)?.item !== index)
				fail(prompts[index], `output ${index} is paired with ${JSON.stringify(item.pairedItem)}`);
		});
	}
	const views: ItemView[] = prompts.map((prompt, index) => ({
		prompt,
		item: output[index],
		id: idOf(output[index]?.json),
	}));

	// 1. Every id CometAPI told the node (a create answered 200 in full) is in the output or the error.
	for (const create of sim.creates()) {
		if (create.taskId === undefined || create.status !== 200 || !create.sentWhole) continue;
		if (!outputIds.has(create.taskId) && !told.includes(create.taskId)) {
			fail(
				create.fields.prompt,
				`accepted job ${create.taskId} is neither in the output nor in the node's error`,
			);
		}
	}
	// ...and each item that came out with an id came out with its own job.
	for (const view of views) {
		if (!view.id) continue;
		const task = sim.tasks.get(view.id);
		if (task?.prompt !== view.prompt)
			fail(view.prompt, `came out with job ${view.id} of prompt ${JSON.stringify(task?.prompt)}`);
	}

	// 2. A create is never sent twice for one item: only a 429 (certainly not taken) is sent again.
	const createsByPrompt = new Map<string, RecordedRequest[]>();
	for (const create of sim.creates()) {
		const prompt = create.fields.prompt ?? '';
		if (!promptSet.has(prompt))
			fail(undefined, `a create for an unknown prompt ${JSON.stringify(prompt)}`);
		createsByPrompt.set(prompt, [...(createsByPrompt.get(prompt) ?? []), create]);
	}
	for (const [prompt, creates] of createsByPrompt) {
		const accepted = creates.filter((create) => create.taskId !== undefined);
		if (accepted.length > 1) fail(prompt, `${accepted.length} jobs created for one item`);
		const resent = creates.slice(0, -1).filter((create) => create.status !== 429);
		if (resent.length > 0)
			fail(
				prompt,
				`a create was sent again after an answer that was not a 429 (#${resent[0].seq})`,
			);
	}

	// 3. No create starts once the batch has failed: at most k-1 (those already on the wire) arrive after.
	if (!batch.continueOnFail && error) {
		const failedIndex = error.context?.itemIndex as number | undefined;
		const failedPrompt = failedIndex !== undefined ? prompts[failedIndex] : undefined;
		// Before the node's first sleep on the batch signal, no job has got past its first create,
		// so the failing item's last request bounds the creates that can follow.
		let after = watched.failedAfterSeq;
		if (after === undefined && failedPrompt !== undefined) {
			const own = sim.requests.filter(
				(request) =>
					request.fields.prompt === failedPrompt ||
					(request.taskId !== undefined && sim.tasks.get(request.taskId)?.prompt === failedPrompt),
			);
			after = Math.max(0, ...own.map((request) => request.seq));
		}
		if (after === undefined) {
			fail(
				undefined,
				`without Continue On Fail the node failed, but neither its abort nor its failing item is known: ${error.message}`,
			);
		} else {
			const late = sim.creates().filter((create) => create.seq > after);
			if (late.length > batch.concurrency - 1) {
				fail(
					failedPrompt,
					`${late.length} creates arrived after the batch failed at #${after} (at most ${batch.concurrency - 1} may be on the wire): ${late.map((c) => `#${c.seq} "${c.fields.prompt}"`).join(', ')}; error: ${error.message}`,
				);
			}
		}
	}

	// 4. The key never reaches the video host.
	for (const request of sim.requests.filter((r) => r.server === 'video')) {
		const leaked =
			request.headers.authorization !== undefined ||
			Object.values(request.headers).some((value) => value.includes(sim.apiKey));
		if (leaked)
			fail(
				request.taskId && sim.tasks.get(request.taskId)?.prompt,
				`the API key reached the video host on #${request.seq} ${request.path}`,
			);
	}

	// 5. A delivered video is byte for byte the one served for that job.
	for (const view of views) {
		const binary = view.item?.binary?.data;
		if (!binary) continue;
		const task = view.id !== undefined ? sim.tasks.get(view.id) : undefined;
		if (!task) {
			fail(view.prompt, `a video came out for an unknown job ${view.id}`);
			continue;
		}
		const bytes = await binaryBytes(binary);
		if (videoDigest(bytes) !== videoDigest(task.script.video)) {
			fail(
				view.prompt,
				`delivered ${bytes.length} bytes that differ from the ${task.script.video instanceof Buffer ? task.script.video.length : '?'} served for ${task.id}`,
			);
		}
		if (task.script.outcome !== 'completed')
			fail(view.prompt, `a video came out for a job that never completed (${task.script.outcome})`);
	}

	// 6. Every failure says what went wrong.
	if (error && !error.message.trim())
		fail(
			error.context?.itemIndex !== undefined
				? prompts[error.context.itemIndex as number]
				: undefined,
			`the node failed with an empty message (${error.name})`,
		);
	for (const view of views) {
		const json = view.item?.json;
		if (json && 'error' in json && !String(json.error).trim())
			fail(
				view.prompt,
				`an error item with an empty message: ${JSON.stringify(json).slice(0, 200)}`,
			);
	}

	// 7. No job is polled past Max Wait: counted in polls, and on the node's own clock one job at a time.
	const maxPolls = Math.floor(MAX_WAIT_MS / (POLL_INTERVAL_S * 1000)) + 2;
	for (const task of sim.tasks.values()) {
		const polls = sim
			.requestsFor(task.id)
			.filter(
				(request) =>
					request.server === 'api' && request.method === 'GET' && POLL_PATH.test(request.path),
			);
		const answered = polls.filter(
			(request) =>
				request.status === 200 &&
				request.sentWhole &&
				request.fault !== 'not-json' &&
				request.fault !== 'empty-body',
		);
		if (answered.length > maxPolls)
			fail(task.prompt, `${answered.length} answered polls in a Max Wait that allows ${maxPolls}`);
		const start = stamps.get(task.createSeq);
		const last = polls.at(-1);
		const end = last && stamps.get(last.seq);
		if (
			batch.concurrency === 1 &&
			start !== undefined &&
			end !== undefined &&
			end - start > MAX_WAIT_MS + MAX_WAIT_MARGIN_MS
		) {
			fail(
				task.prompt,
				`last poll ${((end - start) / 1000).toFixed(1)} s (node clock) after the create, Max Wait is ${MAX_WAIT_MS / 1000} s`,
			);
		}
	}
	return violations;
}

/** What a batch went through, for SOAK_VERBOSE=1. */
function summary(
	sim: CometApiSimulator,
	batch: Batch,
	result: WorkflowRun,
	watched: WatchedRuntime,
	stamps: Map<number, number>,
): string {
	const faults = new Map<string, number>();
	for (const request of sim.requests)
		if (request.fault) faults.set(request.fault, (faults.get(request.fault) ?? 0) + 1);
	const outcomes = new Map<string, number>();
	for (const item of result.output('Veo')) {
		const json = item.json;
		const key = json.error
			? `error: ${String(json.error)
					.replace(/task_\w+/g, 'task_…')
					.slice(0, 90)}`
			: json.timed_out
				? 'timed out'
				: item.binary
					? 'video'
					: 'other';
		outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
	}
	let overshoot = -Infinity;
	for (const task of sim.tasks.values()) {
		const last = sim
			.requestsFor(task.id)
			.filter((r) => r.server === 'api' && r.method === 'GET' && POLL_PATH.test(r.path))
			.at(-1);
		const start = stamps.get(task.createSeq);
		const end = last && stamps.get(last.seq);
		if (start !== undefined && end !== undefined)
			overshoot = Math.max(overshoot, end - start - MAX_WAIT_MS);
	}
	return [
		`SOAK_SEED=${SEED} "${batch.name}" k=${batch.concurrency}: ${sim.requests.length} requests, ${sim.tasks.size} jobs, worst last poll vs Max Wait ${(overshoot / 1000).toFixed(1)} s`,
		`  error: ${JSON.stringify(result.nodeError('Veo')?.message ?? '-')}, batch failed after #${watched.failedAfterSeq ?? '?'}, creates after it: ${sim.creates().filter((c) => c.seq > (watched.failedAfterSeq ?? Infinity)).length}`,
		`  faults: ${[...faults].map(([k, n]) => `${k} ${n}`).join(', ')}`,
		...[...outcomes].map(([k, n]) => `  ${n} x ${k}`),
	].join('\n');
}

// Printed on every run, so that a failure seen in any log can be replayed.
process.stdout.write(
	`Fault soak: SOAK_SEED=${SEED} (SOAK_VERBOSE=1 prints what each batch went through, 2 every item that brought no video)\n`,
);

describe(`Fault soak (SOAK_SEED=${SEED}): faults drawn per request, invariants checked per batch`, () => {
	let sim: CometApiSimulator;
	useSimulator({ binaryMode: 'filesystem' }, (started) => (sim = started));

	it.each(BATCHES.map((batch, index) => [batch.name, index, batch] as const))(
		'%s',
		async (_name, batchIndex, batch) => {
			const prompts = Array.from(
				{ length: batch.items },
				(_, i) => `soak ${batchIndex}.${i} of seed ${SEED}`,
			);
			const items: TestItem[] = prompts.map((p) => ({ json: { p } }));
			const watched = new WatchedRuntime(sim);
			const stamps = new Map<number, number>();
			sim.script((request) => scriptFor(request.fields.prompt ?? '', batch.harm));
			sim.faultsBy((request) => {
				stamps.set(request.seq, watched.now());
				const kind = kindOf(request);
				if (!kind) return undefined;
				const prompt =
					kind === 'create'
						? (request.fields.prompt ?? '')
						: ((request.taskId !== undefined ? sim.tasks.get(request.taskId)?.prompt : undefined) ??
							request.path);
				const same = (other: RecordedRequest) =>
					other.seq < request.seq &&
					kindOf(other) === kind &&
					(kind === 'create' ? other.fields.prompt === prompt : other.taskId === request.taskId);
				const ordinal = sim.requests.filter(same).length;
				const key = `${kind}|${prompt}`;
				const roll = draw('fault', key, ordinal);
				if (kind === 'create') return createFault(roll, batch.harm);
				const burst = burstCovers(key, ordinal, batch.harm, kind === 'poll' ? 0.04 : 0.02);
				if (burst !== undefined) return { kind: 'status', status: burst };
				return kind === 'poll' ? pollFault(roll, ordinal) : downloadFault(roll);
			});
			const parameters: INodeParameters = {
				resource: 'video',
				operation: 'create',
				prompt: '={{ $json.p }}',
				options: {
					pollInterval: POLL_INTERVAL_S,
					maxWaitMinutes: MAX_WAIT_MINUTES,
					onTimeout: batch.onTimeout,
					maxConcurrentJobs: batch.concurrency,
				},
			};
			const result = await runOnSimulator(sim, {
				parameters,
				items,
				continueOnFail: batch.continueOnFail,
				runtime: watched.runtime,
			});
			sim.faultsBy(undefined);
			const violations = await checkBatch(sim, batch, prompts, result, watched, stamps);
			if (process.env.SOAK_VERBOSE)
				process.stdout.write(`${summary(sim, batch, result, watched, stamps)}\n`);
			if (process.env.SOAK_VERBOSE === '2') {
				const error = result.nodeError('Veo');
				if (error)
					process.stdout.write(
						`ERROR ${JSON.stringify({ message: error.message, description: error.description, item: error.context?.itemIndex })}\n  ${error.context?.itemIndex !== undefined ? history(sim, prompts[error.context.itemIndex as number]) : ''}\n`,
					);
				result.output('Veo').forEach((item, i) => {
					if (item.binary) return;
					process.stdout.write(
						`ITEM ${i} ${JSON.stringify(item.json).slice(0, 400)}\n  ${history(sim, prompts[i])}\n`,
					);
				});
			}
			if (violations.length > 0) {
				throw new Error(
					`SOAK_SEED=${SEED} batch "${batch.name}" (Max Concurrent Jobs ${batch.concurrency}, Continue On Fail ${batch.continueOnFail}, On Timeout ${batch.onTimeout}): ${violations.length} invariant(s) broken\n  - ${violations.join('\n  - ')}`,
				);
			}
		},
		60_000,
	);
});
