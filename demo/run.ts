/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- a command-line demo, not node code */
/**
 * `npm run demo`: runs the example workflow (two items, one text-only and one with an image,
 * each made into a video by Create with Wait for Completion) in the n8n engine (n8n-core, in
 * this process) against the embedded CometAPI simulator, or against CometAPI itself with
 * `npm run demo -- --real` and COMETAPI_KEY set (that creates real, billed jobs; a key alone
 * does not). Writes the videos and a summary under out/, after removing the previous run's.
 *
 * n8n-core keeps its instance settings (an encryption key it generates) in
 * `$N8N_USER_FOLDER/.n8n/config`, by default the user's own `~/.n8n`. The demo points
 * N8N_USER_FOLDER at `.cache/demo-n8n` inside the project before n8n-core is loaded (the engine
 * is imported in main(), below), so it never touches the user's n8n.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject } from 'n8n-workflow';

import type { TestItem } from '../dev/engine/test-nodes';
import type { CometApiSimulator } from '../dev/simulator';
import { clearPreviousOutputs, itemLine, videoPath, writeSummary } from './outputs';
import { demoTarget } from './target';

const PROJECT = join(__dirname, '..');
const OUT = join(PROJECT, 'out');
const N8N_USER_FOLDER = join(PROJECT, '.cache', 'demo-n8n');

mkdirSync(N8N_USER_FOLDER, { recursive: true });
process.env.N8N_USER_FOLDER = N8N_USER_FOLDER;

async function main(): Promise<void> {
	// Before anything loads: a run it cannot make stops here.
	const target = demoTarget(process.env, process.argv.slice(2));
	// Loaded only now, after N8N_USER_FOLDER is set.
	const { binaryBytes, useBinaryMode } = await import('../dev/engine/binary-data');
	const { runWorkflow } = await import('../dev/engine/run-workflow');
	const { veoWorkflow } = await import('../dev/engine/workflows');
	const { fixturePath, startSimulator } = await import('../dev/simulator');

	const realKey = target.kind === 'cometapi';
	if (target.kind === 'simulator' && target.note) console.log(target.note);
	let sim: CometApiSimulator | undefined;
	if (!realKey) sim = await startSimulator({ clock: 'time', stepMs: 1000 });
	const apiKey = realKey ? target.apiKey : sim!.apiKey;
	const baseUrl = realKey ? target.baseUrl : sim!.baseUrl;
	console.log(
		realKey
			? `Using CometAPI at ${baseUrl} (real, billed jobs)`
			: `Using the CometAPI simulator at ${baseUrl}`,
	);

	await useBinaryMode('filesystem');
	mkdirSync(OUT, { recursive: true });
	clearPreviousOutputs(OUT);
	try {
		const items: TestItem[] = [
			{ json: { prompt: 'A paper kite floats above a field at sunset, slow dolly shot' } },
			{
				json: { prompt: 'The product turns slowly on a white table, soft light' },
				binary: {
					image: { path: fixturePath.firstFrame, mimeType: 'image/png', fileName: 'product.png' },
				},
			},
		];
		const result = await runWorkflow(
			veoWorkflow({
				apiKey,
				baseUrl,
				items,
				continueOnFail: true,
				// The shipped node's own clock: real polling, as in n8n.
				runtime: 'system',
				parameters: {
					resource: 'video',
					operation: 'create',
					prompt: '={{ $json.prompt }}',
					model: { __rl: true, mode: 'list', value: 'veo3-fast' },
					size: '16x9',
					frames: '={{ $binary.image ? "single" : "none" }}',
					imageSource: 'binary',
					imageBinaryProperty: 'image',
					waitForCompletion: true,
					output: 'binary',
					options: { pollInterval: realKey ? 10 : 1, maxWaitMinutes: 15 },
				},
			}),
		);
		const summary: IDataObject[] = [];
		for (const [index, item] of result.output('Veo').entries()) {
			const task: IDataObject = { ...item.json };
			delete task.raw;
			const video = item.binary?.data;
			const file = video ? videoPath(OUT, video.fileName, task.id) : undefined;
			summary.push({ ...task, file });
			// Named in the summary before it is written: the next run clears it even if this one stops.
			writeSummary(OUT, summary);
			if (video && file) writeFileSync(file, await binaryBytes(video));
			console.log(itemLine(index, task, file));
		}

		const file = writeSummary(OUT, summary);
		console.log(`Summary: ${file}`);
		const written = summary.filter((task) => task.file).length;
		if (written < summary.length) process.exitCode = 1;
		console.log(
			written === summary.length
				? `The videos are in ${OUT}/`
				: `${written} of ${summary.length} videos are in ${OUT}/; the others failed (see the summary)`,
		);
	} finally {
		await sim?.close();
	}
}

main().catch((error: Error) => {
	console.error(error.message);
	process.exit(1);
});
