/* eslint-disable @n8n/community-nodes/no-restricted-imports -- end-to-end suite: raw servers that record the wire */
import type { IncomingMessage } from 'node:http';

import type { RawServer } from '../../dev/engine/raw-server';
import { startRawServer } from '../../dev/engine/raw-server';
import { readFixture } from '../../dev/simulator';
import type { CliRun, N8nInstance } from '../../dev/n8n-cli/n8n-cli';
import {
	executeWorkflow,
	importCredentials,
	importWorkflow,
	installPackage,
	n8nPaths,
	n8nVersionsUnderTest,
	scratchN8n,
} from '../../dev/n8n-cli/n8n-cli';
import { packPackage } from '../../dev/n8n-cli/package';

/** Installing an n8n that is not in .cache/ yet takes minutes (ensure-n8n.js does it once). */
const INSTALL_TIMEOUT = 900_000;
const png = readFixture('firstFrame');

/** One multipart part as a server reads it: the header lines, the name and filename, the body. */
interface WirePart {
	headers: string[];
	name?: string;
	filename?: string;
	body: Buffer;
}

/** Splits a recorded multipart body by its boundary, as a plain server-side parser does. */
function parseMultipart(contentType: string, body: Buffer): WirePart[] {
	const boundary = /boundary=([^;]+)/.exec(contentType)?.[1];
	if (!boundary) throw new Error(`no multipart boundary in ${contentType}`);
	const delimiter = Buffer.from(`--${boundary}`);
	const parts: WirePart[] = [];
	let start = body.indexOf(delimiter);
	while (start >= 0) {
		const from = start + delimiter.length;
		if (body.subarray(from, from + 2).toString() === '--') break;
		const next = body.indexOf(delimiter, from);
		if (next < 0) break;
		const chunk = body.subarray(from + 2, next - 2); // the CRLF after the delimiter and before the next
		const split = chunk.indexOf('\r\n\r\n');
		const headers = chunk.subarray(0, split).toString('latin1').split('\r\n');
		const disposition = headers.find((line) => /^content-disposition:/i.test(line)) ?? '';
		parts.push({
			headers,
			name: /\bname="([^"]*)"/.exec(disposition)?.[1],
			filename: /\bfilename="([^"]*)"/.exec(disposition)?.[1],
			body: chunk.subarray(split + 4),
		});
		start = next;
	}
	return parts;
}

interface RecordedCreate {
	contentType: string;
	raw: Buffer;
	parts: WirePart[];
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

/** A CometAPI stand-in that keeps every create's raw body bytes and accepts it. */
async function startRecordingApi(creates: RecordedCreate[]): Promise<RawServer> {
	return await startRawServer('127.0.0.1', async (req, res) => {
		if (req.method === 'POST' && (req.url ?? '').startsWith('/v1/videos')) {
			const raw = await readBody(req);
			const contentType = req.headers['content-type'] ?? '';
			creates.push({ contentType, raw, parts: parseMultipart(contentType, raw) });
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify({
					id: `task_wire${creates.length}`,
					object: 'video',
					model: 'veo3-fast',
					status: 'queued',
					progress: 0,
					created_at: 1773297229,
				}),
			);
			return;
		}
		res.writeHead(404, { 'content-type': 'application/json' });
		res.end('{"error":{"message":"not here"}}');
	});
}

/** The items the workflow's Code node emits: one clean item, then one per hostile field name. */
const ITEMS = [
	{ prompt: 'clean', name: 'negative_prompt', value: 'blur' },
	{ prompt: 'quote', name: 'model"; x="', value: 'veo3-pro' },
	{ prompt: 'brackets', name: 'input_reference[]', value: 'x' },
	{ prompt: 'crlf', name: 'note\r\nX-Evil: 1', value: 'y' },
];
/** A frame URL whose last path segment decodes to a quote, CRLF and a header. */
const HOSTILE_IMAGE_PATH = '/a%22%0d%0aX-Evil%3a%201.png';

function wireWorkflow(id: string, imageUrl: string) {
	return {
		id,
		name: 'Multipart on the wire',
		nodes: [
			{
				id: 'b0a6a3e5-0d59-4b53-9d0c-2f2c0f1a0001',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'b0a6a3e5-0d59-4b53-9d0c-2f2c0f1a0002',
				name: 'Items',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: {
					jsCode: `return ${JSON.stringify(ITEMS)}.map((json) => ({ json }));`,
				},
			},
			{
				id: 'b0a6a3e5-0d59-4b53-9d0c-2f2c0f1a0003',
				name: 'Veo',
				type: 'n8n-nodes-cometapi-veo.cometApiVeo',
				typeVersion: 1,
				position: [440, 0],
				onError: 'continueRegularOutput',
				parameters: {
					resource: 'video',
					operation: 'create',
					prompt: '={{ $json.prompt }}',
					model: { __rl: true, mode: 'list', value: 'veo3-fast' },
					frames: 'single',
					imageSource: 'url',
					imageUrl: imageUrl,
					waitForCompletion: false,
					additionalFields: {
						field: [{ name: '={{ $json.name }}', value: '={{ $json.value }}' }],
					},
				},
				credentials: {
					cometApiVeoApi: { id: 'cometapi-veo-credential', name: 'CometAPI Veo account' },
				},
			},
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Veo', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

const textOf = (part: WirePart) => part.body.toString('utf8');

/**
 * What reaches CometAPI on the wire, parsed from the raw bytes a server received. form-data
 * comes from the host n8n: 1.123.81's 4.0.0 writes part names and file names unescaped, so a
 * name the node does not control would write its own headers there.
 */
describe.each(n8nVersionsUnderTest())(
	'In the real n8n %s CLI: the multipart body a create sends',
	(version) => {
		let instance: N8nInstance;
		let api: RawServer;
		let images: RawServer;
		const creates: RecordedCreate[] = [];
		let run: CliRun;

		beforeAll(async () => {
			const paths = n8nPaths(version);
			const { tarball } = await packPackage();
			instance = scratchN8n(paths);
			await installPackage(instance, tarball);
			api = await startRecordingApi(creates);
			images = await startRawServer('127.0.0.1', (_req, res) => {
				res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
				res.end(png);
			});
			await importCredentials(instance, [
				{
					id: 'cometapi-veo-credential',
					name: 'CometAPI Veo account',
					type: 'cometApiVeoApi',
					data: { apiKey: 'sk-wire-test', baseUrl: api.url },
				},
			]);
			const workflow = wireWorkflow('e2emultipartwire', `${images.url}${HOSTILE_IMAGE_PATH}`);
			await importWorkflow(instance, workflow);
			run = await executeWorkflow(instance, workflow.id);
		}, INSTALL_TIMEOUT);
		afterAll(async () => {
			await api?.close();
			await images?.close();
		});

		it('only the clean item is sent, with one model part and the node-chosen file name', () => {
			expect(run.exitCode).toBe(0);
			const sent = creates.map((create) => ({
				prompt: create.parts.filter((part) => part.name === 'prompt').map(textOf),
				model: create.parts.filter((part) => part.name === 'model').map(textOf),
				names: create.parts.map((part) => part.name),
				filenames: create.parts
					.filter((part) => part.filename !== undefined)
					.map((p) => p.filename),
				headers: create.parts.flatMap((part) => part.headers),
			}));
			expect(sent).toEqual([
				{
					prompt: ['clean'],
					model: ['veo3-fast'],
					names: ['prompt', 'model', 'size', 'negative_prompt', 'input_reference'],
					filenames: ['frame-1.png'],
					headers: [
						'Content-Disposition: form-data; name="prompt"',
						'Content-Disposition: form-data; name="model"',
						'Content-Disposition: form-data; name="size"',
						'Content-Disposition: form-data; name="negative_prompt"',
						'Content-Disposition: form-data; name="input_reference"; filename="frame-1.png"',
						'Content-Type: image/png',
					],
				},
			]);
			const frame = creates[0].parts.find((part) => part.name === 'input_reference');
			expect(frame?.body.equals(png)).toBe(true);
			// The hostile items were refused before their image was fetched: one GET, the clean item's.
			expect(images.requests.map((request) => request.path)).toEqual([HOSTILE_IMAGE_PATH]);
		});

		it('each hostile item fails naming its item and field; the clean one carries its task', () => {
			const output = run.result?.data.resultData.runData.Veo?.[0]?.data?.main[0] ?? [];
			expect(output).toHaveLength(4);
			expect(output[0].json).toMatchObject({ id: 'task_wire1', status: 'queued' });
			for (const index of [1, 2, 3]) {
				expect(String(output[index].json.error)).toMatch(
					new RegExp(
						`^Item ${index}: "Additional Fields 1 Name" is not a plain field name: .* letters, digits, _, - and \\.`,
					),
				);
			}
		});
	},
);
