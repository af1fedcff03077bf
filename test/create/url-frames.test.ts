import type { INodeParameters } from 'n8n-workflow';

import { fastRuntime } from '../../dev/engine/fast-runtime';
import type { RawHandler } from '../../dev/engine/raw-server';
import { useRawServers } from '../../dev/engine/raw-server-lifecycle';
import { startRawServer, writeEndless } from '../../dev/engine/raw-server';
import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import type { TestItem } from '../../dev/engine/test-nodes';
import { runOnSimulator } from '../../dev/engine/workflows';
import type { CometApiSimulator } from '../../dev/simulator';
import { fixturePath, readFixture } from '../../dev/simulator';

const png = readFixture('firstFrame');
const jpeg = readFixture('lastFrame');
const MB = 1024 * 1024;

const oneImage = (imageUrl: string, extra: INodeParameters = {}): INodeParameters => ({
	resource: 'video',
	operation: 'create',
	waitForCompletion: false,
	prompt: '={{ $json.p ?? "The product turns slowly" }}',
	frames: 'single',
	imageSource: 'url',
	imageUrl,
	...extra,
});

describe('Frames from an image URL: fetched without credentials, checked, streamed into the create', () => {
	let sim: CometApiSimulator;
	useSimulator({ binaryMode: 'filesystem' }, (started) => (sim = started));
	const servers = useRawServers();
	const rawImageHost = async (handler: RawHandler) => {
		const server = await startRawServer('127.0.0.4', handler);
		servers.push(server);
		return server;
	};
	const run = async (
		parameters: INodeParameters,
		items: TestItem[] = [{}],
		continueOnFail = true,
		runtime = fastRuntime(),
	) =>
		await runOnSimulator(sim, {
			parameters,
			items,
			continueOnFail,
			runtime,
		});
	const imageRequests = () => sim.calls().filter((request) => request.server === 'video');

	it('One Image from a URL: one input_reference part with the image bytes, a file name of the node and the type; no key sent to the image host', async () => {
		const result = await run(oneImage(`${sim.videoHostUrl}/images/first-frame.png?sig=abc`));
		expect(result.output('Veo')[0].json).toMatchObject({ id: sim.creates()[0].taskId, variant: 1 });
		const [create] = sim.creates();
		expect(create.files).toHaveLength(1);
		expect(create.files[0]).toMatchObject({
			field: 'input_reference',
			// The node's own name, not the URL's last path segment.
			filename: 'frame-1.png',
			contentType: 'image/png',
		});
		expect(create.files[0].data.equals(png)).toBe(true);
		expect(imageRequests()).toHaveLength(1);
		expect(imageRequests()[0].headers.authorization).toBeUndefined();
	});

	it('First frame from a URL and last frame from a binary property: two parts, in that order', async () => {
		const items: TestItem[] = [
			{ binary: { end: { path: fixturePath.lastFrame, mimeType: 'image/jpeg' } } },
		];
		await run(
			{
				resource: 'video',
				operation: 'create',
				waitForCompletion: false,
				prompt: 'From dawn to dusk',
				frames: 'firstLast',
				firstFrameSource: 'url',
				firstFrameUrl: `${sim.videoHostUrl}/images/first-frame.png`,
				lastFrameSource: 'binary',
				lastFrameBinaryProperty: 'end',
			},
			items,
		);
		const [create] = sim.creates();
		expect(create.files.map((file) => file.contentType)).toEqual(['image/png', 'image/jpeg']);
		expect(create.files[0].data.equals(png)).toBe(true);
		expect(create.files[1].data.equals(jpeg)).toBe(true);
	});

	it('a redirect is followed by hand, and a URL on the CometAPI host itself gets no key either', async () => {
		const host = await rawImageHost((_req, res) => {
			res.writeHead(302, { location: `${sim.baseUrl}/v1/models` });
			res.end();
		});
		const result = await run(oneImage(`${host.url}/photo.png`));
		// The API host answered 401 to a request without the key: the key went nowhere.
		const apiHop = sim.calls().find((request) => request.path === '/v1/models')!;
		expect(apiHop.headers.authorization).toBeUndefined();
		expect(result.output('Veo')[0].json.error).toMatch(
			/^Item 0: "Image URL": the image at http:\/\/127\.0\.0\.4:\d+\/photo\.png could not be used: HTTP 401/,
		);
		expect(sim.creates()).toHaveLength(0);
	});

	it.each<[string, RawHandler, RegExp]>([
		[
			'a page that is not an image',
			(_req, res) => {
				res.writeHead(200, { 'content-type': 'text/html' });
				res.end('<html>login</html>');
			},
			/the answer \(text\/html\) is not a PNG, JPEG or WebP image$/,
		],
		[
			'a page that says it is a PNG',
			(_req, res) => {
				res.writeHead(200, { 'content-type': 'image/png' });
				res.end('<html>not really</html>');
			},
			/the answer \(image\/png\) is not a PNG, JPEG or WebP image$/,
		],
		[
			'an empty answer',
			(_req, res) => {
				res.writeHead(200, { 'content-type': 'image/png', 'content-length': 0 });
				res.end();
			},
			/the answer was empty$/,
		],
		[
			'a 404 with a long page',
			(_req, res) => {
				res.writeHead(404, { 'content-type': 'text/html' });
				res.end(`<p>gone</p>${'x'.repeat(5000)}`);
			},
			// Another host's body is never quoted: its type, size and host only.
			/HTTP 404 \(text\/html, size not declared, from 127\.0\.0\.4:\d+; not CometAPI, so its body is not quoted\)$/,
		],
		[
			'a declared 30 MB image',
			(_req, res) => {
				// Says 30 MB and starts sending; the node should not wait for the rest.
				res.writeHead(200, { 'content-type': 'image/png', 'content-length': 30 * MB });
				res.write(png.subarray(0, 8));
			},
			/it is larger than 20 MB$/,
		],
	])(
		'%s is refused before its create; the error names the item, the field and the URL without its query',
		async (_name, handler, message) => {
			const host = await rawImageHost(handler);
			const result = await run(oneImage(`${host.url}/a/photo.png?token=secret-token`));
			const error = result.output('Veo')[0].json.error as string;
			expect(error).toMatch(
				new RegExp(
					`^Item 0: "Image URL": the image at ${host.url}/a/photo\\.png could not be used: `,
				),
			);
			expect(error).toMatch(message);
			expect(error).not.toContain('secret-token');
			expect(sim.creates()).toHaveLength(0);
		},
	);

	it('an endless image is cut at 20 MB: most of it is never downloaded, and nothing is sent', async () => {
		const host = await rawImageHost(async (_req, res) => {
			res.writeHead(200, { 'content-type': 'image/png' });
			res.write(png.subarray(0, 8));
			await writeEndless(servers[0], res, Buffer.alloc(256 * 1024, 1), 300 * MB);
		});
		// On the real clock: the warped one runs 100 times faster for the whole transfer (the
		// transfer guard's watchdog sleep is pending throughout), so on a busy machine the node's
		// per-attempt time bound, a retryable cut, would come before the 20 MB one.
		const result = await run(
			oneImage(`${host.url}/huge.png`),
			[{}],
			true,
			fastRuntime({ scale: 1 }),
		);
		expect(result.output('Veo')[0].json.error).toMatch(
			/could not be used: it is larger than 20 MB$/,
		);
		expect(host.requests).toHaveLength(1);
		expect(host.bytesWritten).toBeLessThan(64 * MB);
		expect(sim.creates()).toHaveLength(0);
	});

	it('an image host that stalls is retried, then the item fails before its create', async () => {
		const host = await rawImageHost((_req, res) => {
			res.writeHead(200, { 'content-type': 'image/png' });
			res.write(png.subarray(0, 100));
		});
		const result = await run(
			oneImage(`${host.url}/slow.png`),
			[{}],
			true,
			fastRuntime({ downloadStallMs: 30_000 }),
		);
		expect(result.output('Veo')[0].json.error).toMatch(
			/could not be used: no data arrived for 30 s$/,
		);
		expect(host.requests).toHaveLength(4);
		expect(sim.creates()).toHaveLength(0);
	});

	it('Image Frames from an expression with binary images: the unused URL fields are not required', async () => {
		const items: TestItem[] = [
			{
				json: { mode: 'single' },
				binary: { data: { path: fixturePath.firstFrame, mimeType: 'image/png' } },
			},
		];
		const result = await run(
			{
				resource: 'video',
				operation: 'create',
				waitForCompletion: false,
				prompt: 'A kite',
				frames: '={{ $json.mode }}',
			},
			items,
			false,
		);
		expect(result.nodeError('Veo')).toBeUndefined();
		expect(sim.creates()[0].files[0].data.equals(png)).toBe(true);
	});

	it('a URL that is no http(s) URL is refused while items are checked, before any request', async () => {
		const result = await run(oneImage('file:///etc/passwd'), [{}], false);
		expect(result.nodeError('Veo')?.message).toBe(
			'Item 0: "Image URL" is not an http(s) URL: "file:///etc/passwd"',
		);
		expect(sim.calls()).toHaveLength(0);
	});

	it('with Continue On Fail, an item whose image fails is an error item and the others go on', async () => {
		const host = await rawImageHost((_req, res) => void res.writeHead(404).end());
		const items: TestItem[] = [
			{ json: { u: `${host.url}/gone.png`, p: 'bad' } },
			{ json: { u: `${sim.videoHostUrl}/images/first-frame.png`, p: 'good' } },
		];
		const result = await run(oneImage('={{ $json.u }}'), items);
		const [bad, good] = result.output('Veo');
		expect(bad.json.error).toMatch(/^Item 0: "Image URL"/);
		expect(good.json.id).toBe(sim.creates()[0].taskId);
		expect(sim.creates().map((create) => create.fields.prompt)).toEqual(['good']);
	});

	it('without it, the error names the jobs already accepted for other items', async () => {
		const host = await rawImageHost((_req, res) => void res.writeHead(404).end());
		const items: TestItem[] = [
			{ json: { u: `${sim.videoHostUrl}/images/first-frame.png`, p: 'good' } },
			{ json: { u: `${host.url}/gone.png`, p: 'bad' } },
		];
		const result = await run(
			oneImage('={{ $json.u }}', { options: { maxConcurrentJobs: 1 } }),
			items,
			false,
		);
		const error = result.nodeError('Veo');
		expect(error?.message).toMatch(/^Item 1: "Image URL"/);
		expect(error?.description).toContain(`item 0: ${sim.creates()[0].taskId}`);
		expect(error?.description).toMatch(/Nothing was sent to CometAPI for this item/);
	});
});
