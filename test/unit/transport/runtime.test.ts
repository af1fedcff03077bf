/* eslint-disable @n8n/community-nodes/no-restricted-globals -- a test standing in for n8n-workflow 1.x's sleep */
// n8n-workflow 1.x's sleep takes no signal and sleeps on: play that one here.
jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms)),
}));

import { SYSTEM_RUNTIME } from '../../../nodes/CometApiVeo/transport/runtime';

describe("The shipped clock's sleep ends when its signal aborts, whatever n8n-workflow's sleep does", () => {
	it('a sleep is ended by an abort at once, with its reason (unaborted it would resolve)', async () => {
		const controller = new AbortController();
		const slept = SYSTEM_RUNTIME.clock.sleep(3_000, controller.signal);
		controller.abort(new Error('item 3 failed'));
		await expect(slept).rejects.toThrow('item 3 failed');
	});

	it('an already aborted signal ends it before it starts', async () => {
		const controller = new AbortController();
		controller.abort(new Error('stopped'));
		await expect(SYSTEM_RUNTIME.clock.sleep(3_000, controller.signal)).rejects.toThrow('stopped');
	});

	it('without an abort it sleeps and resolves', async () => {
		await expect(
			SYSTEM_RUNTIME.clock.sleep(5, new AbortController().signal),
		).resolves.toBeUndefined();
	});
});
