import type { INodeParameters } from 'n8n-workflow';

import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import type { TestItem } from '../../dev/engine/test-nodes';
import { runOnSimulator } from '../../dev/engine/workflows';
import type { CometApiSimulator } from '../../dev/simulator';

const CREATE = { method: 'POST', path: /^\/v1\/videos$/ };
const parameters = (options: INodeParameters = {}): INodeParameters => ({
	resource: 'video',
	operation: 'create',
	prompt: '={{ $json.p }}',
	options: { maxConcurrentJobs: 2, ...options },
});
const items: TestItem[] = [{ json: { p: 'first' } }, { json: { p: 'second' } }];

/** Without Continue On Fail, one item's failure stops the batch: nothing new is sent, nothing is lost. */
describe('When the batch fails, every other job stops at once and no request of any kind starts', () => {
	let sim: CometApiSimulator;
	useSimulator({}, (started) => (sim = started));

	it('a create waiting out a 429 is not sent again once another item has failed (no second bill)', async () => {
		// Whichever create arrives first is told to come back in 60 s; the other is refused.
		sim.fault({ match: CREATE, kind: 'status', status: 429, retryAfter: '60' });
		sim.fault({
			match: CREATE,
			kind: 'status',
			status: 400,
			body: '{"error":{"message":"bad prompt","code":"invalid"}}',
		});
		const result = await runOnSimulator(sim, { parameters: parameters(), items });
		expect(result.nodeError('Veo')?.message).toBe('CometAPI error 400: bad prompt');
		// Two creates in all: the 429'd one was never sent again, and nothing else was sent.
		expect(sim.calls().map((request) => `${request.method} ${request.status}`)).toEqual([
			'POST 429',
			'POST 400',
		]);
	});

	it('a job waiting between polls stops at once, with no further poll, and its id is in the error', async () => {
		// "first" fails on its first poll; "second" never finishes and would poll in an hour.
		sim.script((request) => ({ outcome: request.fields.prompt === 'first' ? 'failed' : 'never' }));
		const pollInterval = '={{ $json.p === "first" ? 1 : 3600 }}';
		const result = await runOnSimulator(sim, {
			parameters: parameters({ pollInterval, maxWaitMinutes: 1440 }),
			items,
		});
		const ids = Object.fromEntries(
			sim.creates().map((request) => [request.fields.prompt, request.taskId!]),
		);
		const error = result.nodeError('Veo');
		expect(error?.message).toMatch(new RegExp(`^CometAPI task ${ids.first} failed`));
		expect(error?.description).toContain(`item 1: ${ids.second} (queued)`);
		// The waiting job was asleep when the batch failed: its create is its only request.
		expect(sim.requestsFor(ids.second).map((request) => request.method)).toEqual(['POST']);
	});

	it('a job in the middle of a slow poll is let go at once, and its id is in the error', async () => {
		// "second" polls every second and its first poll hangs for 30 s. "first" stays queued
		// until that slow poll is open, then fails on its next poll (every 5 s): the simulator
		// sets the order, not whichever item's create happens to be answered first.
		const held = Array.from({ length: 10_000 }, () => ({ status: 'queued', progress: 0 }));
		sim.script((request) =>
			request.fields.prompt === 'first'
				? { steps: [...held, { status: 'failed', progress: 0 }], outcome: 'failed' }
				: { outcome: 'never' },
		);
		let slowPollOpen = false;
		sim.faultsBy((request) => {
			const prompt = request.taskId && sim.tasks.get(request.taskId)?.prompt;
			if (request.method !== 'GET' || !prompt) return undefined;
			if (prompt === 'second' && !slowPollOpen) {
				slowPollOpen = true;
				return { kind: 'delay', delayMs: 30_000 };
			}
			if (prompt === 'first' && slowPollOpen) sim.advance(request.taskId, held.length);
			return undefined;
		});
		const pollInterval = '={{ $json.p === "first" ? 5 : 1 }}';
		const result = await runOnSimulator(sim, {
			parameters: parameters({ pollInterval }),
			items,
		});
		const error = result.nodeError('Veo');
		expect(error?.message).toMatch(/failed/);
		for (const create of sim.creates()) expect(error?.description).toContain(create.taskId);
		// The slow poll was open when the batch failed and was never answered: the node did not
		// wait for it.
		const slow = sim
			.calls()
			.filter((request) => request.method === 'GET' && request.fault === 'delay');
		expect(slow).toHaveLength(1);
		expect(slow[0].status).toBeUndefined();
	});

	describe('what the error says about the creates already sent', () => {
		const createUrlOnly = (options: INodeParameters = {}): INodeParameters => ({
			resource: 'video',
			operation: 'create',
			prompt: '={{ $json.p ?? "A bridge at night" }}',
			output: 'url',
			options: { pollInterval: 1, ...options },
		});

		it("when one item fails, another item's create whose outcome is unknown is named as possibly billed", async () => {
			sim.fault({
				match: CREATE,
				kind: 'status',
				status: 400,
				body: '{"error":{"message":"prompt refused"}}',
			});
			sim.fault({ match: CREATE, kind: 'accept-then-500' });
			const items: TestItem[] = [{ json: { p: 'one' } }, { json: { p: 'two' } }];
			const result = await runOnSimulator(sim, {
				parameters: createUrlOnly({ maxConcurrentJobs: 2 }),
				items,
			});
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
			const error = (await runOnSimulator(sim, { parameters: createUrlOnly() })).nodeError('Veo');
			expect(error?.description ?? '').not.toContain('outcome is unknown');
		});
	});
});
