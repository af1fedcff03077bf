import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { RetrievePlan } from '../../../../nodes/CometApiVeo/actions/video/retrieve.operation';
import { prepare } from '../../../../nodes/CometApiVeo/actions/video/retrieve.operation';
import { expression, fakeExecuteFunctions } from '../../../../dev/engine/fake-context';

/** Retrieve's prepare for one item, with the parameters a user set (n8n fills the rest). */
function plan(
	parameters: INodeParameters,
	items?: INodeExecutionData[],
	itemIndex = 0,
): RetrievePlan {
	const ctx = fakeExecuteFunctions({
		parameters: { resource: 'video', operation: 'retrieve', ...parameters },
		items,
	});
	return prepare.call(ctx, itemIndex);
}

/** The message of the error prepare raises. */
function refusal(parameters: INodeParameters, items?: INodeExecutionData[], itemIndex = 0): string {
	try {
		plan(parameters, items, itemIndex);
	} catch (error) {
		return (error as Error).message;
	}
	return 'prepare accepted the parameters';
}

describe('Retrieve: what a parameter set turns into', () => {
	it('a task id alone: the task as it is now, no waiting (Wait for Completion is off)', () => {
		expect(plan({ taskId: 'task_pa9CKKtYlTdxO7IIHOKKhXfjxEu4EQoR' })).toEqual({
			taskId: 'task_pa9CKKtYlTdxO7IIHOKKhXfjxEu4EQoR',
			settings: {
				wait: false,
				output: 'url',
				onTimeout: 'return',
				binaryPropertyName: 'data',
				fileName: '',
				intervalMs: 10_000,
				maxWaitMs: 15 * 60_000,
				maxDownloadMs: 30 * 60_000,
			},
		});
	});

	it('with Wait for Completion on: the video as binary by default, options as set', () => {
		expect(
			plan({
				taskId: 'task_1',
				waitForCompletion: true,
				options: { pollInterval: 3, maxWaitMinutes: 60, fileName: 'later.mp4' },
			}).settings,
		).toEqual({
			wait: true,
			output: 'binary',
			onTimeout: 'return',
			binaryPropertyName: 'data',
			fileName: 'later.mp4',
			intervalMs: 3_000,
			maxWaitMs: 60 * 60_000,
			maxDownloadMs: 30 * 60_000,
		});
		expect(plan({ taskId: 'task_1', waitForCompletion: true, output: 'url' }).settings.output).toBe(
			'url',
		);
	});

	it('the id from an expression, per item, trimmed; every documented id character is kept', () => {
		const items = [{ json: { id: 'task_a' } }, { json: { id: ' veo3:job-7.b_C \n' } }];
		const taskId = expression(({ item }) => item.json.id);
		expect(plan({ taskId }, items, 0).taskId).toBe('task_a');
		expect(plan({ taskId }, items, 1).taskId).toBe('veo3:job-7.b_C');
		// A number from an expression is taken as text.
		expect(plan({ taskId: expression(() => 12345) }).taskId).toBe('12345');
	});
});

describe('Retrieve: which error a bad parameter set raises', () => {
	it('an empty task id, naming the item', () => {
		expect(refusal({ taskId: '' })).toBe('Item 0: "Task ID" is empty');
		const items = [{ json: {} }, { json: {} }];
		expect(refusal({ taskId: expression(({ item }) => item.json.id) }, items, 1)).toBe(
			'Item 1: "Task ID" is empty',
		);
	});

	it.each([
		['a path', 'task_1/../../v1/models'],
		['a query', 'task_1?x=1'],
		['a space', 'task 1'],
		['a leading dot', '.task'],
		['a fragment', 'task#1'],
		['an encoded slash', 'task%2F1'],
	])('an id holding %s', (_what, id) => {
		expect(refusal({ taskId: id })).toBe(
			`Item 0: "Task ID" is not a valid task id: ${JSON.stringify(id)}`,
		);
	});

	it('an id longer than 200 characters', () => {
		expect(plan({ taskId: 't'.repeat(200) }).taskId).toHaveLength(200);
		expect(refusal({ taskId: 't'.repeat(201) })).toMatch(
			/^Item 0: "Task ID" is not a valid task id: "t{80}"$/,
		);
	});

	it('an object where the id belongs', () => {
		expect(refusal({ taskId: expression(() => ({ id: 'task_1' })) })).toBe(
			'Item 0: "Task ID" must be text, not an object',
		);
	});

	it('bad waiting fields, as for Create', () => {
		expect(refusal({ taskId: 't', waitForCompletion: expression(() => 1) })).toBe(
			'Item 0: "Wait for Completion" must be true or false, not 1',
		);
		expect(refusal({ taskId: 't', waitForCompletion: true, options: { maxWaitMinutes: -1 } })).toBe(
			'Item 0: "Max Wait (Minutes)" must be from 0.01 to 1440, not -1',
		);
		// Without waiting the option is not shown, and n8n drops it from the parameters.
		expect(plan({ taskId: 't', options: { maxWaitMinutes: -1 } }).settings.maxWaitMs).toBe(
			15 * 60_000,
		);
	});
});
