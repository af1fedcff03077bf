import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import { runWorkflow } from '../../dev/engine/run-workflow';
import { runOnSimulator, veoWorkflow } from '../../dev/engine/workflows';
import type { CometApiSimulator } from '../../dev/simulator';
import { startSimulator } from '../../dev/simulator';

// Each kind of end through the real engine, with On Error -> Continue (using error output): the
// failed item really leaves by the error output, its typed outcome in `details.failure`.

const create = (extra: INodeParameters = {}, options: INodeParameters = {}): INodeParameters => ({
	resource: 'video',
	operation: 'create',
	prompt: 'A storm over the sea',
	output: 'url',
	...extra,
	options: { pollInterval: 1, ...options },
});

const errorItems = (result: {
	output(node: string, index?: number): Array<{ json: IDataObject }>;
}) => result.output('Veo', 1);

describe('Typed outcomes: every failed item says its kind in details.failure', () => {
	let sim: CometApiSimulator;
	useSimulator({}, (started) => (sim = started));

	/** Runs with the error output and returns the one error item's json (the success output is empty). */
	const failedItem = async (
		parameters: INodeParameters,
		baseUrl = sim.baseUrl,
		apiKey = sim.apiKey,
	) => {
		const result = await runWorkflow(
			veoWorkflow({ apiKey, baseUrl, parameters, errorOutput: true }),
		);
		expect(result.nodeError('Veo')).toBeUndefined();
		expect(result.output('Veo', 0)).toHaveLength(0);
		const items = errorItems(result);
		expect(items).toHaveLength(1);
		// Only error/message/details keys: that is what makes n8n route it to the error output.
		expect(Object.keys(items[0].json).sort()).toEqual(['details', 'error']);
		return items[0].json as { error: string; details: IDataObject & { failure: IDataObject } };
	};

	const expectKind = (
		json: { error: string; details: { failure: IDataObject } },
		kind: string,
		retryable: boolean,
	) => expect(json.details.failure).toEqual({ kind, retryable, message: json.error });

	it('a task failed for a content policy reason: content_refused', async () => {
		sim.script({ outcome: 'failed', failure: 'error-object', failureReason: 'content-policy' });
		const json = await failedItem(create());
		expectKind(json, 'content_refused', false);
		expect(json.details.id).toBe(sim.creates()[0].taskId);
	});

	it("Veo's RAI filter fields: content_refused", async () => {
		sim.script({ outcome: 'failed', failure: 'rai-filtered', failureReason: 'rai-filtered' });
		expectKind(await failedItem(create()), 'content_refused', false);
	});

	it('a create refused with a 400 for a policy reason: content_refused, nothing in doubt', async () => {
		sim.script({ refuseCreate: 'content-policy' });
		const json = await failedItem(create());
		expectKind(json, 'content_refused', false);
		// No task exists: CometAPI's refusal itself is kept in raw.
		expect(json.details.id).toBeUndefined();
		expect(json.details.raw).toMatchObject({ error: { code: 'content_policy_violation' } });
	});

	it('a create refused for a size the alias does not take: invalid_request', async () => {
		sim.script({ refuseCreate: 'size-for-alias' });
		expectKind(await failedItem(create()), 'invalid_request', false);
	});

	it('bad input refused before sending: invalid_request, nothing sent', async () => {
		const json = await failedItem(create({ prompt: '   ' }));
		expectKind(json, 'invalid_request', false);
		expect(sim.creates()).toHaveLength(0);
	});

	it('a key CometAPI refuses (401): auth_failed', async () => {
		expectKind(
			await failedItem(create(), sim.baseUrl, 'sk-not-the-right-one'),
			'auth_failed',
			false,
		);
	});

	it('429 still after the retries: rate_limited, retryable', async () => {
		sim.fault({
			match: { method: 'POST' },
			kind: 'status',
			status: 429,
			retryAfter: '0',
			times: 10,
		});
		expectKind(await failedItem(create()), 'rate_limited', true);
		expect(sim.creates()).toHaveLength(4);
	});

	it('a create cut off after CometAPI took it: in_doubt', async () => {
		sim.fault({ match: { method: 'POST' }, kind: 'accept-then-reset' });
		expectKind(await failedItem(create()), 'in_doubt', false);
	});

	it('a 5xx on a create after its body was sent: in_doubt', async () => {
		sim.fault({ match: { method: 'POST' }, kind: 'status', status: 502 });
		expectKind(await failedItem(create()), 'in_doubt', false);
		expect(sim.creates()).toHaveLength(1);
	});

	it('a task failed for another reason: upstream_failed, not retryable', async () => {
		sim.script({ outcome: 'failed', failure: 'error-object', failureReason: 'generation-failed' });
		expectKind(await failedItem(create()), 'upstream_failed', false);
	});

	it('failure words the node does not know: the safe default, upstream_failed, not retryable', async () => {
		sim.script({ outcome: 'failed', failure: 'fail_reason', failureReason: 'unknown-words' });
		const json = await failedItem(create());
		expectKind(json, 'upstream_failed', false);
		// CometAPI's words are kept: in the message the item shows, in the task read back, and
		// in raw, its answer as it came.
		expect(json.details.error).toEqual(expect.any(String));
		expect(json.error).toContain(String(json.details.error));
		expect(json.details.raw).toMatchObject({
			id: json.details.id,
			fail_reason: json.details.error,
		});
	});

	it('a Retrieve meeting 5xx after its retries: upstream_failed, retryable', async () => {
		sim.fault({
			match: { method: 'GET', path: /^\/v1\/videos\// },
			kind: 'status',
			status: 503,
			retryAfter: '0',
			times: 10,
		});
		const json = await failedItem({ resource: 'video', operation: 'retrieve', taskId: 'task_abc' });
		expectKind(json, 'upstream_failed', true);
	});

	it('CometAPI unreachable: upstream_failed, retryable (a create refused before sending)', async () => {
		const closed = await startSimulator();
		await closed.close();
		expectKind(await failedItem(create(), closed.baseUrl), 'upstream_failed', true);
	});

	it('On Timeout "error": timed_out, retryable', async () => {
		sim.script({ outcome: 'never' });
		const json = await failedItem(create({}, { maxWaitMinutes: 0.03, onTimeout: 'error' }));
		expectKind(json, 'timed_out', true);
	});

	it('a finished video that cannot be fetched: download_failed, retryable', async () => {
		sim.fault({
			match: { server: 'video' },
			kind: 'status',
			status: 500,
			retryAfter: '0',
			times: 10,
		});
		const json = await failedItem(create({ output: 'binary' }));
		expectKind(json, 'download_failed', true);
		expect(json.details.status).toBe('completed');
	});
});

describe('Typed outcomes on thrown errors: context.failure', () => {
	let sim: CometApiSimulator;
	useSimulator({}, (started) => (sim = started));

	it('Max Estimated Spend refuses the run: spend_limit on the thrown error, nothing sent', async () => {
		const result = await runOnSimulator(sim, {
			parameters: create({}, { maxEstimatedSpend: 0.01 }),
		});
		const error = result.nodeError('Veo');
		expect(error?.context?.failure).toEqual({
			kind: 'spend_limit',
			retryable: false,
			message: error?.message,
		});
		expect(sim.creates()).toHaveLength(0);
	});

	it('with Continue On Fail a spend-limit refusal is an error item per item, nothing sent', async () => {
		const result = await runOnSimulator(sim, {
			items: [{ json: { n: 0 } }, { json: { n: 1 } }],
			parameters: create({}, { maxEstimatedSpend: 0.01 }),
			errorOutput: true,
		});
		expect(result.nodeError('Veo')).toBeUndefined();
		expect(result.output('Veo', 0)).toHaveLength(0);
		const items = result.output('Veo', 1);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const [index, item] of items.entries()) {
			// n8n's error output adds the input item's fields to the error item.
			expect(item.json).toMatchObject({ n: index, error: expect.any(String) });
			expect((item.json.details as IDataObject).failure).toEqual({
				kind: 'spend_limit',
				retryable: false,
				message: item.json.error,
			});
		}
		expect(sim.creates()).toHaveLength(0);
	});

	it('an operation the node does not have: invalid_request on the thrown error', async () => {
		const result = await runOnSimulator(sim, { parameters: create({ operation: 'delete' }) });
		const error = result.nodeError('Veo');
		expect(error?.message).toBe('The operation "delete" is not supported');
		expect(error?.context?.failure).toEqual({
			kind: 'invalid_request',
			retryable: false,
			message: error?.message,
		});
		expect(sim.requests).toHaveLength(0);
	});

	it('without Continue On Fail the thrown error carries the same outcome', async () => {
		sim.script({ outcome: 'failed', failure: 'error-object', failureReason: 'moderation' });
		const result = await runOnSimulator(sim, { parameters: create() });
		const error = result.nodeError('Veo');
		expect(error?.context?.failure).toEqual({
			kind: 'content_refused',
			retryable: false,
			message: error?.message,
		});
	});
});
