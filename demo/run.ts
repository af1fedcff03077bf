/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- a command-line demo, not node code */
/**
 * `npm run demo`: runs the example workflow in the n8n engine (n8n-core, in this process)
 * against the embedded CometAPI simulator, or against CometAPI itself when COMETAPI_KEY is
 * set (that creates real, billed jobs). Writes what it got under out/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { useBinaryMode } from '../test/engine/binary-data';
import { runWorkflow } from '../test/engine/run-workflow';
import type { TestItem } from '../test/engine/test-nodes';
import { veoWorkflow } from '../test/engine/workflows';
import type { CometApiSimulator } from '../test/simulator';
import { fixturePath, startSimulator } from '../test/simulator';

const OUT = join(__dirname, '..', 'out');

async function main(): Promise<void> {
	const realKey = process.env.COMETAPI_KEY?.trim();
	let sim: CometApiSimulator | undefined;
	if (!realKey) sim = await startSimulator({ clock: 'time', stepMs: 1000 });
	const apiKey = realKey ?? sim!.apiKey;
	const baseUrl = realKey ? (process.env.COMETAPI_BASE_URL ?? 'https://api.cometapi.com') : sim!.baseUrl;
	console.log(realKey ? `Using CometAPI at ${baseUrl} (real, billed jobs)` : `Using the CometAPI simulator at ${baseUrl}`);

	await useBinaryMode('filesystem');
	mkdirSync(OUT, { recursive: true });
	try {
		const items: TestItem[] = [
			{ json: { prompt: 'A paper kite floats above a field at sunset, slow dolly shot' } },
			{
				json: { prompt: 'The product turns slowly on a white table, soft light' },
				binary: { image: { path: fixturePath.firstFrame, mimeType: 'image/png', fileName: 'product.png' } },
			},
		];
		const created = await runWorkflow(
			veoWorkflow({
				apiKey,
				baseUrl,
				items,
				continueOnFail: true,
				parameters: {
					resource: 'video',
					operation: 'create',
					prompt: '={{ $json.prompt }}',
					model: { __rl: true, mode: 'list', value: 'veo3-fast' },
					size: '16x9',
					frames: '={{ $binary.image ? "single" : "none" }}',
					imageBinaryProperty: 'image',
				},
			}),
		);
		const jobs = created.output('Veo').map((item) => item.json);
		for (const job of jobs) console.log(`created ${String(job.id ?? '-')}: ${String(job.status ?? job.error)}`);

		const retrieved = await runWorkflow(
			veoWorkflow({
				apiKey,
				baseUrl,
				items: jobs.filter((job) => job.id).map((job) => ({ json: { id: job.id } })),
				continueOnFail: true,
				parameters: { resource: 'video', operation: 'retrieve', taskId: '={{ $json.id }}' },
			}),
		);
		const tasks = retrieved.output('Veo').map((item) => item.json);
		for (const task of tasks) console.log(`retrieved ${String(task.id)}: ${String(task.status)} ${String(task.progress ?? '')}`);

		const file = join(OUT, 'demo-result.json');
		writeFileSync(file, JSON.stringify({ created: jobs, retrieved: tasks }, null, 2));
		console.log(`Wrote ${file}`);
		if (jobs.some((job) => job.error)) process.exitCode = 1;
	} finally {
		await sim?.close();
	}
}

main().catch((error: Error) => {
	console.error(error.message);
	process.exit(1);
});
