/* eslint-disable @typescript-eslint/no-require-imports, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test: loads n8n's built-in nodes, reads the example files and the files they write */
import type { IConnections, INode, IVersionedNodeType, INodeType } from 'n8n-workflow';
import { mkdtempSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { CometApiSimulator } from '../../dev/simulator';
import { readFixture } from '../../dev/simulator';
import { binaryBytes } from '../../dev/engine/binary-data';
import { useNodeTypes } from '../../dev/engine/node-types';
import type { WorkflowRun } from '../../dev/engine/run-workflow';
import { runWorkflow } from '../../dev/engine/run-workflow';
import { useSimulator } from '../../dev/engine/simulator-lifecycle';

// The example workflows as users import them, run in n8n-core in this process: n8n's own
// built-in nodes (n8n-nodes-base, the version n8n-core comes with) around this package's node,
// the credential pointed at the simulator. A workflow file in, its output checked.

// Read/Write Files may write only below N8N_RESTRICT_FILE_ACCESS_TO; n8n's instance folder is a
// scratch one, not the user's ~/.n8n. Both are read when the first file is written.
const outputFolder = realpathSync(mkdtempSync(join(tmpdir(), 'veo-examples-out-')));
process.env.N8N_RESTRICT_FILE_ACCESS_TO = outputFolder;
process.env.N8N_USER_FOLDER = mkdtempSync(join(tmpdir(), 'veo-examples-n8n-'));

/**
 * Jest runs each test file in a realm of its own, where an error thrown by Node's fs is not
 * `instanceof Error` (jestjs/jest#2549). n8n-core's file helpers rely on that check to write a
 * file that does not exist yet, as they can in n8n. So this file's Error also recognises Node's
 * errors, as jestjs/jest#16205 proposed for every test (subclasses are left as they are).
 */
function recogniseNodeErrors(): void {
	let nodeError: unknown;
	try {
		statSync(join(outputFolder, 'not-there'));
	} catch (error) {
		nodeError = error;
	}
	if (nodeError instanceof Error) return;
	// Node's Error: the last prototype before Object's on the error's chain.
	let prototype = Object.getPrototypeOf(nodeError) as object;
	while (Object.getPrototypeOf(Object.getPrototypeOf(prototype))) {
		prototype = Object.getPrototypeOf(prototype) as object;
	}
	const NodeError = prototype.constructor;
	Object.defineProperty(Error, Symbol.hasInstance, {
		configurable: true,
		value(this: () => unknown, value: unknown): boolean {
			const own = Function.prototype[Symbol.hasInstance].call(this, value);
			return own || (this === Error && value instanceof NodeError);
		},
	});
}
recogniseNodeErrors();

type NodeClass = new () => INodeType | IVersionedNodeType;

/** One of n8n's built-in node classes, from n8n-nodes-base's build. */
function builtIn(path: string, className: string): INodeType | IVersionedNodeType {
	const module = require(`n8n-nodes-base/dist/nodes/${path}.node`) as Record<string, NodeClass>;
	return new module[className]();
}

useNodeTypes({
	'n8n-nodes-base.manualTrigger': builtIn('ManualTrigger/ManualTrigger', 'ManualTrigger'),
	'n8n-nodes-base.set': builtIn('Set/Set', 'Set'),
	'n8n-nodes-base.httpRequest': builtIn('HttpRequest/HttpRequest', 'HttpRequest'),
	'n8n-nodes-base.merge': builtIn('Merge/Merge', 'Merge'),
	'n8n-nodes-base.readWriteFile': builtIn('Files/ReadWriteFile/ReadWriteFile', 'ReadWriteFile'),
	'n8n-nodes-base.stickyNote': builtIn('StickyNote/StickyNote', 'StickyNote'),
	'n8n-nodes-base.if': builtIn('If/If', 'If'),
});

interface ExampleFile {
	nodes: INode[];
	connections: IConnections;
}

interface Assignment {
	name: string;
	value: unknown;
}

/** The Settings node's values, as the example file sets them. */
function settingsOf(example: ExampleFile): Record<string, unknown> {
	const settings = example.nodes.find((node) => node.name === 'Settings')!;
	const { assignments } = settings.parameters.assignments as { assignments: Assignment[] };
	return Object.fromEntries(assignments.map(({ name, value }) => [name, value]));
}

function loadExample(name: string): ExampleFile {
	const file = join(__dirname, '..', '..', 'examples', `${name}.json`);
	return JSON.parse(readFileSync(file, 'utf8')) as ExampleFile;
}

/**
 * Runs an example as a user would after editing its Settings: image URLs on the simulator's
 * video host (it serves dev/fixtures' images), the output folder n8n may write to. The
 * credential the Veo nodes name is the simulator's key and Base URL. Nothing else changes.
 */
async function runExample(sim: CometApiSimulator, name: string): Promise<WorkflowRun> {
	const example = loadExample(name);
	const edits: Record<string, string> = {
		imageUrl: `${sim.videoHostUrl}/images/first-frame.png`,
		firstFrameUrl: `${sim.videoHostUrl}/images/first-frame.png`,
		lastFrameUrl: `${sim.videoHostUrl}/images/last-frame.jpg`,
		outputFolder,
	};
	const settings = example.nodes.find((node) => node.name === 'Settings')!;
	for (const assignment of (settings.parameters.assignments as { assignments: Assignment[] })
		.assignments) {
		if (assignment.name in edits) assignment.value = edits[assignment.name];
	}
	// The engine starts from the first node: the example's manual trigger.
	expect(example.nodes[0].type).toBe('n8n-nodes-base.manualTrigger');
	return await runWorkflow({
		nodes: example.nodes,
		connections: example.connections,
		credentials: { cometApiVeoApi: { apiKey: sim.apiKey, baseUrl: sim.baseUrl } },
	});
}

/** The video reached the Veo node's output and the disk, byte for byte as the simulator served it. */
async function expectVideoDelivered(sim: CometApiSimulator, run: WorkflowRun): Promise<string> {
	expect(run.run.data.resultData.error).toBeUndefined();
	const [item, ...more] = run.output('Create Video');
	expect(more).toEqual([]);
	expect(item.json).toMatchObject({ status: 'completed' });
	const id = item.json.id as string;
	expect(sim.tasks.get(id)).toBeDefined();
	const sample = readFixture('sampleVideo');
	const video = item.binary!.data;
	expect(video).toMatchObject({ fileName: `${id}.mp4`, mimeType: 'video/mp4' });
	expect((await binaryBytes(video)).equals(sample)).toBe(true);

	// Written by the example's Read/Write Files node, where its expression put it.
	const written = join(outputFolder, `${id}.mp4`);
	expect(run.output('Write Video to Disk')[0].json).toMatchObject({ fileName: written });
	expect(readFileSync(written).equals(sample)).toBe(true);

	// The key went to the API host only.
	const keyed = sim.requests.filter((request) => request.headers.authorization);
	expect(keyed.length).toBeGreaterThan(0);
	expect(keyed.every((request) => request.server === 'api')).toBe(true);
	return id;
}

describe("The example workflows, in the n8n engine with n8n's built-in nodes", () => {
	let sim: CometApiSimulator;
	useSimulator({ binaryMode: 'filesystem' }, (started) => (sim = started));

	it('prompt-to-video.json: Settings -> Create (waits) -> Read/Write Files', async () => {
		const run = await runExample(sim, 'prompt-to-video');
		await expectVideoDelivered(sim, run);
		const [create] = sim.creates();
		expect(sim.creates()).toHaveLength(1);
		expect(create.fields).toMatchObject({
			prompt: settingsOf(loadExample('prompt-to-video')).prompt,
			model: 'veo3-fast',
			size: '16x9',
		});
		expect(create.files).toEqual([]);
	});

	it('image-to-video.json: the image fetched by HTTP Request is the one frame sent', async () => {
		const run = await runExample(sim, 'image-to-video');
		await expectVideoDelivered(sim, run);
		expect(sim.creates()).toHaveLength(1);
		const [create] = sim.creates();
		expect(create.files.map((file) => file.contentType)).toEqual(['image/png']);
		expect(create.files[0].data.equals(readFixture('firstFrame'))).toBe(true);
	});

	it('first-and-last-frame.json: two downloads merged by position, sent first then last', async () => {
		const run = await runExample(sim, 'first-and-last-frame');
		await expectVideoDelivered(sim, run);
		const [merged] = run.output('Combine Frames');
		expect(Object.keys(merged.binary ?? {}).sort()).toEqual(['firstFrame', 'lastFrame']);
		expect(sim.creates()).toHaveLength(1);
		const [create] = sim.creates();
		expect(create.fields.model).toBe('veo3-frames');
		expect(create.files.map((file) => file.contentType)).toEqual(['image/png', 'image/jpeg']);
		expect(create.files[0].data.equals(readFixture('firstFrame'))).toBe(true);
		expect(create.files[1].data.equals(readFixture('lastFrame'))).toBe(true);
	});

	it('moderation-retry.json: a refused prompt leaves by the error output, is rewritten, and the retry delivers', async () => {
		const original = settingsOf(loadExample('moderation-retry')).prompt as string;
		// The first create is refused for a policy reason (400, no job); the rewritten one is accepted.
		sim.script((request) =>
			request.fields.prompt === original ? { refuseCreate: 'content-policy' } : {},
		);
		const run = await runExample(sim, 'moderation-retry');
		expect(run.run.data.resultData.error).toBeUndefined();
		const creates = sim.creates();
		expect(creates.map((create) => create.fields.prompt)).toEqual([
			original,
			expect.not.stringMatching(/explo/i),
		]);
		expect(creates[1].fields.prompt).toMatch(/^A calm, family-friendly cinematic shot/);
		expect(creates[1].fields.prompt).toContain('A street race through a neon city at night');
		// The refusal left by the error output with its kind; the IF sent it to the rewrite.
		expect(run.output('Create Video', 0)).toEqual([]);
		const [refused] = run.output('Create Video', 1);
		expect(refused.json.details).toMatchObject({ failure: { kind: 'content_refused' } });
		expect(run.output('Refused by a Filter?', 0)).toHaveLength(1);
		// The retry's video, byte for byte, written to disk.
		const [item] = run.output('Create Video (Retry)');
		expect(item.json).toMatchObject({ status: 'completed', failure: null });
		const id = item.json.id as string;
		expect(id).toBe(creates[1].taskId);
		expect((await binaryBytes(item.binary!.data)).equals(readFixture('sampleVideo'))).toBe(true);
		const written = join(outputFolder, `${id}.mp4`);
		expect(run.output('Write Video to Disk')[0].json).toMatchObject({ fileName: written });
		expect(readFileSync(written).equals(readFixture('sampleVideo'))).toBe(true);
	});
});
