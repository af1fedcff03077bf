import { sleep } from 'n8n-workflow';

import type { RawServer } from '../../dev/engine/raw-server';
import { createOnly } from '../../dev/engine/parameters';
import { sendJson, startRawServer } from '../../dev/engine/raw-server';
import { startWorkflow } from '../../dev/engine/run-workflow';
import { fastRuntime } from '../../dev/engine/fast-runtime';
import { captureNodeLog } from '../../dev/engine/node-log';
import { veoWorkflow } from '../../dev/engine/workflows';

const API_KEY = 'sk-stop-during-create';

describe('Stopping the execution while a create is on the wire', () => {
	let api: RawServer;
	let createReceived: () => void;
	let received: Promise<void>;
	beforeEach(async () => {
		received = new Promise((resolve) => (createReceived = resolve));
		// CometAPI takes the whole create and never answers: it may have accepted the job.
		api = await startRawServer('127.0.0.1', (req, res) => {
			if (req.method === 'POST' && req.url === '/v1/videos') {
				req.on('end', () => createReceived());
				req.resume();
				return;
			}
			req.resume();
			sendJson(res, 404, { error: { message: 'no such route' } });
		});
	});
	afterEach(async () => await api.close());

	it("names that create as possibly billed in n8n's log (n8n discards a stopped node's error)", async () => {
		const warnings = captureNodeLog('warn');
		const started = startWorkflow(
			veoWorkflow({
				apiKey: API_KEY,
				baseUrl: api.url,
				parameters: createOnly(),
				runtime: fastRuntime(),
			}),
		);
		await received;
		started.cancel();
		const { run } = await started.done;
		// n8n ends a stopped execution at once; the node finishes its own run just after.
		for (let tick = 0; tick < 500 && warnings.lines.length === 0; tick++) await sleep(10);
		warnings.stop();
		expect(run.status).toBe('canceled');
		expect(api.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
		expect(warnings.lines).toEqual([
			'The execution was stopped. Creates sent whose outcome is unknown (CometAPI may have accepted them: check your CometAPI task list before running them again): item 0',
		]);
	});
});
