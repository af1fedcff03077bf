import type { IDataObject } from 'n8n-workflow';

import {
	isToolRun,
	toolAnswerOfError,
	toToolAnswer,
	toToolItems,
} from '../../../nodes/CometApiVeo/engine/tool-answer';

// Items as the node outputs them today (test/retrieve.test.ts, test/wait-and-download.test.ts):
// a task's fields, Create's cost estimate and variant, an error item's error + details.
const ID = 'task_pa9CKKtYlTdxO7IIHOKKhXfjxEu4EQoR';
const URL = `https://video.example/videos/${ID}.mp4`;
const task = (fields: IDataObject = {}): IDataObject => ({
	id: ID,
	status: 'in_progress',
	progress: 50,
	model: 'veo_3-fast',
	size: '1280x720',
	seconds: '8',
	created_at: 1_780_000_000,
	completed_at: null,
	video_url: null,
	error: null,
	raw: { id: ID, status: 'in_progress' },
	...fields,
});
const ESTIMATE = { amount: 0.4, currency: 'USD', basis: 'per_second 0.05 × 8 s' };

describe('isToolRun: the tool variant is the node type n8n suffixed with "Tool"', () => {
	const ctx = (type: string, isToolExecution?: () => boolean) => ({
		getNode: () => ({ type }),
		isToolExecution,
	});

	it('is true for the generated tool type, on 1.x (no isToolExecution) and 2.x alike', () => {
		expect(isToolRun(ctx('n8n-nodes-cometapi-veo.cometApiVeoTool'))).toBe(true);
		expect(isToolRun(ctx('n8n-nodes-cometapi-veo.cometApiVeoTool', () => false))).toBe(true);
	});

	it('is false for the node in a workflow, true when n8n says it runs as a tool', () => {
		expect(isToolRun(ctx('n8n-nodes-cometapi-veo.cometApiVeo'))).toBe(false);
		expect(isToolRun(ctx('n8n-nodes-cometapi-veo.cometApiVeo', () => false))).toBe(false);
		expect(isToolRun(ctx('n8n-nodes-cometapi-veo.cometApiVeo', () => true))).toBe(true);
	});
});

describe('toToolAnswer: one output item as the JSON a model can use', () => {
	it('a Create without waiting: id, status, the estimate, no failure, "check later"', () => {
		const answer = toToolAnswer({
			...task({ status: 'queued', progress: 0 }),
			variant: 1,
			cost_estimate: ESTIMATE,
			failure: null,
		});
		expect(answer).toEqual({
			id: ID,
			status: 'queued',
			progress: 0,
			video_url: null,
			expires_at: null,
			failure: null,
			next_step: expect.stringMatching(/check this id later.*not start the same video again/i),
			cost_estimate: { amount: 0.4, currency: 'USD' },
			variant: 1,
		});
	});

	it('keeps no raw answer, model, size or other field the model does not need', () => {
		const answer = toToolAnswer(task({ failure: null }));
		expect(Object.keys(answer).sort()).toEqual(
			['expires_at', 'failure', 'id', 'next_step', 'progress', 'status', 'video_url'].sort(),
		);
	});

	it('a finished video: its URL and when the URL expires (raw.expires_at, unix seconds)', () => {
		const answer = toToolAnswer(
			task({
				status: 'completed',
				progress: 100,
				video_url: URL,
				raw: { id: ID, status: 'completed', expires_at: 1_780_003_600 },
				failure: null,
			}),
		);
		expect(answer).toMatchObject({ id: ID, status: 'completed', video_url: URL, failure: null });
		expect(answer.expires_at).toBe(new Date(1_780_003_600_000).toISOString());
		expect(answer.next_step).toMatch(/video_url/);
	});

	it('a job still running when the short wait ended: the typed timed_out, "check again"', () => {
		const failure = { kind: 'timed_out', retryable: true, message: `Task ${ID} is still queued` };
		const answer = toToolAnswer({ ...task({ status: 'queued' }), timed_out: true, failure });
		expect(answer.failure).toEqual(failure);
		expect(answer.status).toBe('queued');
		expect(answer.next_step).toMatch(/check this id again later/i);
	});

	it('a refused job (an error item): the task from details and the typed failure', () => {
		const message = `CometAPI task ${ID} failed: Content policy violation: the prompt was rejected`;
		const failure = { kind: 'content_refused', retryable: false, message };
		// Error items carry the task, its raw answer included (engine/known-jobs.ts toItem).
		const details = task({ status: 'failed', error: 'Content policy violation' });
		const answer = toToolAnswer({ error: message, details, failure });
		expect(answer).toMatchObject({ id: ID, status: 'failed', video_url: null, failure });
		expect(answer).not.toHaveProperty('raw');
		expect(answer.next_step).toMatch(/rewrite the prompt/i);
	});

	it('an unknown kind is passed on as it is, with a next step from retryable', () => {
		const answer = toToolAnswer({
			...task(),
			failure: { kind: 'something_new', retryable: true, message: 'x' },
		});
		expect(answer.failure).toEqual({ kind: 'something_new', retryable: true, message: 'x' });
		expect(answer.next_step).toMatch(/may succeed later/);
	});

	it('before the node sets failure: a timeout is timed_out, an error upstream_failed', () => {
		expect(toToolAnswer({ ...task(), timed_out: true }).failure).toMatchObject({
			kind: 'timed_out',
			retryable: true,
		});
		expect(toToolAnswer({ error: 'boom', details: task({ status: 'failed' }) }).failure).toEqual({
			kind: 'upstream_failed',
			retryable: false,
			message: 'boom',
		});
		expect(toToolAnswer(task()).failure).toBeNull();
	});

	it('an item refused before sending has no id and status not_started', () => {
		const answer = toToolAnswer({
			error: 'Item 0: Prompt is empty',
			details: { description: 'Enter a prompt' },
			failure: { kind: 'invalid_request', retryable: false, message: 'Item 0: Prompt is empty' },
		});
		expect(answer).toMatchObject({ id: null, status: 'not_started', progress: null });
		expect(answer.failure?.kind).toBe('invalid_request');
	});

	it('Create without a price: cost_estimate null and the reason', () => {
		const answer = toToolAnswer({
			...task({ status: 'queued' }),
			cost_estimate: null,
			cost_estimate_reason: 'the catalogue lists no model "veo9"',
			failure: null,
		});
		expect(answer.cost_estimate).toBeNull();
		expect(answer.cost_estimate_reason).toBe('the catalogue lists no model "veo9"');
	});

	it('reads expires_at as unix seconds, milliseconds or a date, and ignores junk', () => {
		const at = (value: unknown) => toToolAnswer(task({ raw: { expires_at: value } })).expires_at;
		expect(at(1_780_003_600)).toBe('2026-05-28T21:26:40.000Z');
		expect(at(1_780_003_600_000)).toBe('2026-05-28T21:26:40.000Z');
		expect(at('1780003600')).toBe('2026-05-28T21:26:40.000Z');
		expect(at('2026-05-28T21:26:40Z')).toBe('2026-05-28T21:26:40.000Z');
		expect(at('soon')).toBeNull();
		expect(at(-5)).toBeNull();
		expect(toToolAnswer(task({ expires_at: 1_780_003_600 })).expires_at).toBe(
			'2026-05-28T21:26:40.000Z',
		);
	});
});

describe('toolAnswerOfError and toToolItems', () => {
	it("a run's thrown error: its message and the failure from its context", () => {
		const message = 'The estimated spend of this run, 0.4 USD for 1 video of 1 item, is over Max';
		const failure = { kind: 'spend_limit', retryable: false, message };
		const answer = toolAnswerOfError({ message, context: { failure } });
		expect(answer).toMatchObject({ id: null, status: 'not_started', failure });
		expect(answer.next_step).toMatch(/start no more videos/i);
		expect(toolAnswerOfError({ message: 'boom' }).failure).toMatchObject({
			kind: 'upstream_failed',
		});
	});

	it('drops binary data and keeps each item paired with its input', () => {
		const items = toToolItems([
			{
				json: task({ status: 'completed', video_url: URL, failure: null }),
				binary: { data: { data: '', mimeType: 'video/mp4' } },
				pairedItem: { item: 0 },
			},
		]);
		expect(items).toEqual([
			{ json: expect.objectContaining({ id: ID, video_url: URL }), pairedItem: { item: 0 } },
		]);
	});
});
