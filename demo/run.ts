/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- a command-line demo, not node code */
/**
 * `npm run demo`: runs the example workflow (two items, one text-only and one with an image,
 * each made into a video by Create with Wait for Completion) in the n8n engine (n8n-core, in
 * this process) against the embedded CometAPI simulator, or against CometAPI itself when
 * COMETAPI_KEY is set (that creates real, billed jobs). Writes the videos and a summary under out/.
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
import { demoTarget } from './target';

const PROJECT = join(__dirname, '..');
const OUT = join(PROJECT, 'out');
const N8N_USER_FOLDER = join(PROJECT, '.cache', 'demo-n8n');

mkdirSync(N8N_USER_FOLDER, { recursive: true });
process.env.N8N_USER_FOLDER = N8N_USER_FOLDER;

async function main(): Promise<void> {
	// Loaded only now, after N8N_USER_FOLDER is set.
	const { binaryBytes, useBinaryMode } = await import('../dev/engine/binary-data');
	const { runWorkflow } = await import('../dev/engine/run-workflow');
	const { veoWorkflow } = await import('../dev/engine/workflows');
	const { fixturePath, startSimulator } = await import('../dev/simulator');

	const target = demoTarget(process.env);
	const realKey = target.kind === 'cometapi';
	let sim: CometApiSimulator | undefined;
	if (!realKey) sim = await startSimulator({ clock: 'time', stepMs: 1000 });
	const apiKey = target.apiKey ?? sim!.apiKey;
	const baseUrl = target.baseUrl ?? sim!.baseUrl;
	console.log(
		realKey
			? `Using CometAPI at ${baseUrl} (real, billed jobs)`
			: `Using the CometAPI simulator at ${baseUrl}`,
	);

	await useBinaryMode('filesystem');
	mkdirSync(OUT, { recursive: true });
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
		for (const item of result.output('Veo')) {
			const task: IDataObject = { ...item.json };
			delete task.raw;
			const video = item.binary?.data;
			let file: string | undefined;
			if (video) {
				file = join(OUT, video.fileName ?? `${String(task.id)}.mp4`);
				writeFileSync(file, await binaryBytes(video));
			}
			summary.push({ ...task, file });
			console.log(
				`${String(task.id ?? '-')}: ${String(task.status ?? '')} ${file ? `-> ${file}` : String(task.error ?? '')}`,
			);
		}

		const file = join(OUT, 'demo-result.json');
		writeFileSync(file, JSON.stringify(summary, null, 2));
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
