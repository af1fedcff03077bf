/* eslint-disable @n8n/community-nodes/no-restricted-imports -- end-to-end suite: reads files n8n wrote */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { CometApiSimulator } from '../../dev/simulator';
import { readFixture, startSimulator } from '../../dev/simulator';
import type { CliRun, N8nInstance } from '../../dev/n8n-cli/n8n-cli';
import {
	binaryDataFile,
	executeWorkflow,
	importCredentials,
	importWorkflow,
	installPackage,
	n8nPaths,
	n8nVersionsUnderTest,
	PROJECT_ROOT,
	scratchN8n,
} from '../../dev/n8n-cli/n8n-cli';
import { packPackage, scanPackage } from '../../dev/n8n-cli/package';
import type { ExampleWorkflow } from '../../dev/n8n-cli/workflow-files';
import { exampleNames, loadExample, prepareExample } from '../../dev/n8n-cli/workflow-files';

const sample = readFixture('sampleVideo');

/** Every suite below runs once per n8n: the pinned 2.41.1 and the newest 1.x (N8N_E2E_VERSIONS narrows it). */
const versions = n8nVersionsUnderTest();
/** Installing an n8n that is not in .cache/ yet takes minutes (ensure-n8n.js does it once). */
const INSTALL_TIMEOUT = 900_000;

function nodeOutput(run: CliRun, nodeName: string, outputIndex = 0) {
	return run.result?.data.resultData.runData[nodeName]?.[0]?.data?.main[outputIndex] ?? [];
}

async function runExample(
	instance: N8nInstance,
	sim: CometApiSimulator,
	name: string,
	nodeType?: string,
): Promise<{ run: CliRun; workflow: ExampleWorkflow }> {
	const workflow = prepareExample(loadExample(name), {
		id: `e2e${name.replace(/[^a-z]/g, '')}`.slice(0, 16),
		imageBaseUrl: `${sim.videoHostUrl}/images`,
		outputFolder: instance.outFolder,
		nodeType,
	});
	await importWorkflow(instance, workflow);
	const run = await executeWorkflow(instance, workflow.id);
	return { run, workflow };
}

function expectVideoDelivered(
	instance: N8nInstance,
	sim: CometApiSimulator,
	run: CliRun,
	veoNode: string,
): string {
	expect(run.exitCode).toBe(0);
	expect(run.result?.data.resultData.error).toBeUndefined();
	const [item] = nodeOutput(run, veoNode);
	expect(item?.json).toMatchObject({ status: 'completed' });
	const id = item.json.id as string;
	expect(sim.tasks.get(id)).toBeDefined();
	const video = item.binary!.data;
	expect(video).toMatchObject({ fileName: `${id}.mp4`, mimeType: 'video/mp4' });
	// In n8n's filesystem binary store, byte-identical to what the simulator served ...
	expect(video.id).toMatch(/^filesystem/);
	expect(readFileSync(binaryDataFile(instance, video.id!)).equals(sample)).toBe(true);
	// ... and written to disk by the example's Read/Write Files node.
	expect(readFileSync(join(instance.outFolder, `${id}.mp4`)).equals(sample)).toBe(true);
	// The key never went to the video host.
	expect(
		sim.requests.filter((request) => request.server === 'video' && request.headers.authorization),
	).toEqual([]);
	return id;
}

describe.each(versions)(
	'In the real n8n %s CLI: the package installed as users install it',
	(version) => {
		let sim: CometApiSimulator;
		let instance: N8nInstance;

		beforeAll(async () => {
			const paths = n8nPaths(version);
			expect(paths.n8nVersion).toBe(version);
			const packed = await packPackage();
			instance = scratchN8n(paths);
			await installPackage(instance, packed.tarball);
			sim = await startSimulator();
			await importCredentials(instance, [
				{
					id: 'cometapi-veo-credential',
					name: 'CometAPI Veo account',
					type: 'cometApiVeoApi',
					data: { apiKey: sim.apiKey, baseUrl: sim.baseUrl },
				},
			]);
		}, INSTALL_TIMEOUT);
		afterAll(async () => await sim?.close());
		beforeEach(() => sim.reset());

		it('the package landed where n8n installs community packages', () => {
			const installed = join(
				instance.userFolder,
				'.n8n',
				'nodes',
				'node_modules',
				'n8n-nodes-cometapi-veo',
			);
			expect(
				existsSync(join(installed, 'dist', 'nodes', 'CometApiVeo', 'CometApiVeo.node.js')),
			).toBe(true);
			expect(existsSync(join(installed, 'dist', 'nodes', 'CometApiVeo', 'cometApiVeo.svg'))).toBe(
				true,
			);
			expect(existsSync(join(installed, 'node_modules'))).toBe(false);
		});

		it('prompt to video', async () => {
			const { run } = await runExample(instance, sim, 'prompt-to-video');
			expectVideoDelivered(instance, sim, run, 'Create Video');
			expect(sim.creates()).toHaveLength(1);
			expect(sim.creates()[0].files).toHaveLength(0);
		});

		it('image to video, the image fetched by the HTTP Request node', async () => {
			const { run } = await runExample(instance, sim, 'image-to-video');
			expectVideoDelivered(instance, sim, run, 'Create Video');
			const [create] = sim.creates();
			expect(create.files).toHaveLength(1);
			expect(create.files[0].contentType).toBe('image/png');
			expect(create.files[0].data.equals(readFixture('firstFrame'))).toBe(true);
		});

		it('first and last frame, two images combined into one item by the Merge node', async () => {
			const { run } = await runExample(instance, sim, 'first-and-last-frame');
			expectVideoDelivered(instance, sim, run, 'Create Video');
			const [create] = sim.creates();
			expect(create.fields.model).toBe('veo3-frames');
			expect(create.files.map((file) => file.contentType)).toEqual(['image/png', 'image/jpeg']);
			expect(create.files[0].data.equals(readFixture('firstFrame'))).toBe(true);
			expect(create.files[1].data.equals(readFixture('lastFrame'))).toBe(true);
		});

		it('three takes from image URLs: the node fetches both frames itself, three jobs, three videos', async () => {
			const { run } = await runExample(instance, sim, 'url-frames-three-takes');
			expect(run.exitCode).toBe(0);
			expect(run.result?.data.resultData.error).toBeUndefined();
			const items = nodeOutput(run, 'Create Videos');
			expect(items.map((item) => item.json.variant)).toEqual([1, 2, 3]);
			const creates = sim.creates();
			expect(creates).toHaveLength(3);
			for (const create of creates) {
				expect(create.fields.model).toBe('veo3-frames');
				expect(create.files[0].data.equals(readFixture('firstFrame'))).toBe(true);
				expect(create.files[1].data.equals(readFixture('lastFrame'))).toBe(true);
			}
			for (const item of items) {
				expect(item.json).toMatchObject({ status: 'completed' });
				const id = item.json.id as string;
				expect(readFileSync(binaryDataFile(instance, item.binary!.data.id!)).equals(sample)).toBe(
					true,
				);
				const written = join(instance.outFolder, `take-${String(item.json.variant)}-${id}.mp4`);
				expect(readFileSync(written).equals(sample)).toBe(true);
			}
		});

		it('long job: Create without waiting, Wait, Retrieve, IF loop until done, then the video', async () => {
			const { run } = await runExample(instance, sim, 'long-job-polling');
			expectVideoDelivered(instance, sim, run, 'Get Video');
			// The loop went round: Check Job ran more than once before the job was done.
			const checks = run.result!.data.resultData.runData['Check Job'] ?? [];
			expect(checks.length).toBeGreaterThan(1);
			expect(sim.creates()).toHaveLength(1);
		});

		// n8n 1.x routes to the error output only items whose json is { error } or { error, message }
		// (workflow-execute.js handleNodeErrorOutput); 2.x also takes `details`, where the typed
		// outcome and the job travel. On 1.123.81 the refused item leaves by the success output,
		// so this example runs on 2.x until it routes without the error output.
		(version.startsWith('1.') ? it.skip : it)(
			'moderation retry: a refused prompt leaves by the error output, is rewritten, the retry delivers',
			async () => {
				const original = loadExample('moderation-retry').nodes.find(
					(node) => node.name === 'Settings',
				)!;
				const prompt = (
					original.parameters.assignments as { assignments: Array<{ name: string; value: string }> }
				).assignments.find((assignment) => assignment.name === 'prompt')!.value;
				// The first create is refused for a policy reason (400, no job); the rewritten one is taken.
				sim.script((request) =>
					request.fields.prompt === prompt ? { refuseCreate: 'content-policy' } : {},
				);
				const { run } = await runExample(instance, sim, 'moderation-retry');
				expectVideoDelivered(instance, sim, run, 'Create Video (Retry)');
				const creates = sim.creates();
				expect(creates).toHaveLength(2);
				expect(creates[0].fields.prompt).toBe(prompt);
				expect(creates[1].fields.prompt).toMatch(/^A calm, family-friendly cinematic shot/);
				expect(creates[1].fields.prompt).not.toMatch(/explo/i);
				const [refused] = nodeOutput(run, 'Create Video', 1);
				expect(refused?.json.details).toMatchObject({ failure: { kind: 'content_refused' } });
				expect(nodeOutput(run, 'Create Video (Retry)')[0].json.failure).toBeNull();
			},
		);
	},
);

describe.each(versions)(
	'In the real n8n %s CLI: the package loaded through N8N_CUSTOM_EXTENSIONS',
	(version) => {
		it('runs the prompt-to-video example with the built dist folder', async () => {
			const paths = n8nPaths(version);
			const sim = await startSimulator();
			try {
				const instance = scratchN8n(paths, { N8N_CUSTOM_EXTENSIONS: join(PROJECT_ROOT, 'dist') });
				await importCredentials(instance, [
					{
						id: 'cometapi-veo-credential',
						name: 'CometAPI Veo account',
						type: 'cometApiVeoApi',
						data: { apiKey: sim.apiKey, baseUrl: sim.baseUrl },
					},
				]);
				// Nodes from a custom folder are registered under the CUSTOM package name.
				const { run } = await runExample(instance, sim, 'prompt-to-video', 'CUSTOM.cometApiVeo');
				expectVideoDelivered(instance, sim, run, 'Create Video');
				expect(readdirSync(instance.outFolder)).toHaveLength(1);
			} finally {
				await sim.close();
			}
		});
	},
);

describe("n8n's community-package scanner (the same for every n8n version)", () => {
	it('passes the source tree and the packed tarball', async () => {
		const paths = n8nPaths();
		const { unpacked } = await packPackage();
		for (const [folder, sourceOnly] of [
			[PROJECT_ROOT, true],
			[unpacked, false],
		] as const) {
			const result = await scanPackage(paths.scanner, folder, sourceOnly);
			expect(result).toEqual({ passed: true });
		}
	});
});

describe('examples/', () => {
	it('every example is run by this suite, agent.e2e.ts or agent-two-tools.e2e.ts', () => {
		// The agent examples run against a scripted model: agent-makes-a-video in agent.e2e.ts,
		// agent-two-tools in agent-two-tools.e2e.ts.
		expect(exampleNames().sort()).toEqual([
			'agent-makes-a-video',
			'agent-two-tools',
			'first-and-last-frame',
			'image-to-video',
			'long-job-polling',
			'moderation-retry',
			'prompt-to-video',
			'url-frames-three-takes',
		]);
	});
});
