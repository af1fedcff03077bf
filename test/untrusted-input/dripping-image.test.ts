/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- a test playing a hostile server */
import type { ServerResponse } from 'node:http';
import type { INodeParameters } from 'n8n-workflow';

import { MAX_IMAGE_FETCH_MS } from '../../nodes/CometApiVeo/transport/runtime';
import type { Clock, Runtime } from '../../nodes/CometApiVeo/transport/runtime';
import { fastRuntime } from '../../dev/engine/fast-runtime';
import { useRawServers } from '../../dev/engine/raw-server-lifecycle';
import { startRawServer } from '../../dev/engine/raw-server';
import { startWorkflow } from '../../dev/engine/run-workflow';
import { useSimulator } from '../../dev/engine/simulator-lifecycle';
import type { TestItem } from '../../dev/engine/test-nodes';
import { runOnSimulator, veoWorkflow } from '../../dev/engine/workflows';
import { createFromImageUrl } from '../../dev/engine/parameters';
import type { CometApiSimulator } from '../../dev/simulator';
import { readFixture } from '../../dev/simulator';

const png = readFixture('firstFrame');

const imageFrom = (imageUrl: string): INodeParameters => createFromImageUrl(imageUrl);

/** A PNG's first bytes, then one byte every 20 ms for ever: it never stalls and never ends. */
function drip(res: ServerResponse, onFirstByte?: () => void): Promise<void> {
	return new Promise((closed) => {
		res.writeHead(200, { 'content-type': 'image/png' });
		res.write(png.subarray(0, 8));
		onFirstByte?.();
		let offset = 8;
		const timer = setInterval(() => res.write(png.subarray(offset, ++offset)), 20);
		// Only the client ends it: the handler never does.
		res.on('close', () => {
			clearInterval(timer);
			closed();
		});
	});
}

/**
 * A clock on which no time passes: every wait lasts until its signal aborts. Nothing the node
 * bounds by time can then end a fetch, so only the batch's stop signal can.
 */
function stoppedRuntime(): Runtime {
	const clock: Clock = {
		now: () => 0,
		sleep: async (_ms, signal) =>
			await new Promise<void>((_resolve, reject) => {
				const stop = () => reject(signal.reason as Error);
				if (signal.aborted) stop();
				else signal.addEventListener('abort', stop, { once: true });
			}),
	};
	return { ...fastRuntime(), clock };
}

describe('An image that drips in is bounded as a whole, and stops when the batch does', () => {
	let sim: CometApiSimulator;
	useSimulator({ binaryMode: 'filesystem' }, (started) => (sim = started));
	const servers = useRawServers();
	const rawHost = async (host: string, handler: Parameters<typeof startRawServer>[1]) => {
		const server = await startRawServer(host, handler);
		servers.push(server);
		return server;
	};

	it(`a drip is cut at ${MAX_IMAGE_FETCH_MS / 1000} s for the whole fetch: one GET, no retry, no create`, async () => {
		const host = await rawHost('127.0.0.4', async (_req, res) => await drip(res));
		// The shipped bound, on a clock 25 times faster than real time while the node waits.
		const runtime = fastRuntime({ scale: 25, imageFetchMs: MAX_IMAGE_FETCH_MS });
		const result = await runOnSimulator(sim, {
			parameters: imageFrom(`${host.url}/drip.png`),
			continueOnFail: true,
			runtime,
		});
		expect(result.output('Veo')[0].json.error).toBe(
			`Item 0: "Image URL": the image at ${host.url}/drip.png could not be used: the image took longer than 60 s to arrive`,
		);
		// The first attempt never stalls, so it runs to the whole fetch's deadline: no time is left
		// for a second one.
		expect(host.requests).toHaveLength(1);
		expect(sim.creates()).toHaveLength(0);
	});

	it('retry waits count toward the same bound: a 503 asking for 30 s is fetched twice, then the bound', async () => {
		const host = await rawHost('127.0.0.4', (_req, res) => {
			res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '30' }).end('busy');
		});
		const result = await runOnSimulator(sim, {
			parameters: imageFrom(`${host.url}/busy.png`),
			continueOnFail: true,
			runtime: fastRuntime({ scale: 25, imageFetchMs: MAX_IMAGE_FETCH_MS }),
		});
		// GET at 0 s, a wait of 30-31 s, GET at about 31 s: a second such wait would pass 60 s.
		expect(result.output('Veo')[0].json.error).toMatch(
			/could not be used: the image took longer than 60 s to arrive \(the last attempt: HTTP 503 \(text\/plain, size not declared, from 127\.0\.0\.4:\d+; not CometAPI, so its body is not quoted\)\)$/,
		);
		expect(host.requests).toHaveLength(2);
		expect(sim.creates()).toHaveLength(0);
	});

	it('a drip is closed by the client as soon as another item fails the batch (no Continue On Fail)', async () => {
		let firstByte!: () => void;
		const dripping = new Promise<void>((resolve) => (firstByte = resolve));
		let dripClosed!: Promise<void>;
		const dripHost = await rawHost('127.0.0.4', (_req, res) => {
			dripClosed = drip(res, firstByte);
		});
		// Answers 404 only once the drip is under way, so the batch fails in the middle of it.
		const goneHost = await rawHost('127.0.0.5', async (_req, res) => {
			await dripping;
			res.writeHead(404, { 'content-type': 'text/plain' }).end('gone');
		});
		const items: TestItem[] = [
			{ json: { u: `${dripHost.url}/drip.png` } },
			{ json: { u: `${goneHost.url}/gone.png` } },
		];
		const result = await runOnSimulator(sim, {
			parameters: { ...imageFrom('={{ $json.u }}'), options: { maxConcurrentJobs: 2 } },
			items,
			runtime: stoppedRuntime(),
		});
		expect(result.nodeError('Veo')?.message).toMatch(
			new RegExp(
				`^Item 1: "Image URL": the image at ${goneHost.url}/gone\\.png could not be used: HTTP 404`,
			),
		);
		// Resolves only when the connection closes, and only the client closes it.
		await dripClosed;
		expect(dripHost.requests).toHaveLength(1);
		expect(sim.creates()).toHaveLength(0);
	}, 20_000);

	it('a drip is closed by the client as soon as the execution is stopped', async () => {
		let firstByte!: () => void;
		const dripping = new Promise<void>((resolve) => (firstByte = resolve));
		let dripClosed!: Promise<void>;
		const dripHost = await rawHost('127.0.0.4', (_req, res) => {
			dripClosed = drip(res, firstByte);
		});
		const started = startWorkflow(
			veoWorkflow({
				apiKey: sim.apiKey,
				baseUrl: sim.baseUrl,
				parameters: imageFrom(`${dripHost.url}/drip.png`),
				runtime: stoppedRuntime(),
			}),
		);
		await dripping;
		started.cancel();
		const { run } = await started.done;
		expect(run.status).toBe('canceled');
		await dripClosed;
		expect(dripHost.requests).toHaveLength(1);
		expect(sim.creates()).toHaveLength(0);
	}, 20_000);
});
