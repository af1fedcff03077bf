/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test-side server: the community-node rules bind the shipped node, not this */
import { createServer } from 'node:http';
import { apiRoutes } from './api';
import { exchangeHandler } from './exchange';
import { FaultQueue } from './faults';
import { closeServer, listen, Timers, trackSockets } from './http';
import { RequestLog } from './records';
import { ScriptBook, TaskStore } from './tasks';
import type { CatalogueKind } from './models';
import type { CometApiSimulator, SimulatorOptions } from './types';
import { listenVideoHost, videoHostRoutes, type Origins } from './video';

// The CometAPI stand-in: a real HTTP server answering as CometAPI's documented video API does
// (its routes, task object and error envelope; where its pages disagree, each variant can be
// scripted). One file per route:
//   api.ts       the API host: authentication and the route table
//   create.ts    POST /v1/videos
//   retrieve.ts  GET /v1/videos/{id} and the task object
//   video.ts     GET /v1/videos/{id}/content, the storage host video_url points to, the bytes
//   errors.ts    the error envelope and wrong paths
//   models.ts    GET /v1/models and the public GET /api/models
//   tasks.ts     a job's life: scripts, the task store and its clock
//   faults.ts    injected faults    records.ts  the request log
//   exchange.ts  one request through either host    http.ts  replies, listening, sockets, timers

export type * from './types';
export type { CatalogueKind } from './models';
export { FAILURE_CODE, FAILURE_MESSAGE, FAILURE_REASONS, RAI_SUPPORT_CODES } from './retrieve';
export { defaultScript } from './tasks';
export { fixturePath, readFixture, videoDigest } from './video';
export { VEO_ALIASES } from './models';

export const DEFAULT_API_KEY = 'sk-test-simulator-key';

/** Starts the CometAPI stand-in (API on 127.0.0.1, video host on another host name). */
export async function startSimulator(options: SimulatorOptions = {}): Promise<CometApiSimulator> {
	const apiKey = options.apiKey ?? DEFAULT_API_KEY;
	const log = new RequestLog();
	const faults = new FaultQueue();
	const timers = new Timers();
	const scripts = new ScriptBook();
	const tasks = new TaskStore(options.clock ?? 'poll', options.stepMs ?? 1000);
	const catalogue: { kind: CatalogueKind } = { kind: 'documented' };
	const origins: Origins = { baseUrl: '', videoHostUrl: '' };
	const deps = { log, faults, timers, origins };

	const api = createServer(
		exchangeHandler(
			'api',
			deps,
			apiRoutes({
				apiKey,
				tasks,
				scripts,
				origins,
				catalogue,
				checkImages: options.checkImages ?? true,
			}),
		),
	);
	const videoHost = createServer(exchangeHandler('video', deps, videoHostRoutes(tasks)));
	const apiSockets = trackSockets(api);
	const videoSockets = trackSockets(videoHost);
	origins.baseUrl = `http://127.0.0.1:${await listen(api, '127.0.0.1')}`;
	try {
		origins.videoHostUrl = await listenVideoHost(videoHost);
	} catch (error) {
		await closeServer(api, apiSockets);
		throw error;
	}

	return {
		baseUrl: origins.baseUrl,
		videoHostUrl: origins.videoHostUrl,
		apiKey,
		requests: log.requests,
		tasks: tasks.tasks,
		script: (next) => scripts.set(next),
		fault: (spec) => faults.add(spec),
		faultsBy: (picker) => faults.setPicker(picker),
		advance: (taskId, steps = 1) => tasks.advance(taskId, steps),
		catalogue: (kind) => (catalogue.kind = kind),
		reset() {
			catalogue.kind = 'documented';
			log.clear();
			tasks.clear();
			scripts.clear();
			faults.clear();
		},
		calls: () => log.requests.filter((request) => !request.path.endsWith('/api/models')),
		creates: () => log.creates(),
		requestsFor: (taskId) => log.requestsFor(taskId),
		maxJobsInFlight: () => log.maxJobsInFlight(),
		async close() {
			timers.cancelAll();
			await Promise.all([closeServer(api, apiSockets), closeServer(videoHost, videoSockets)]);
		},
	};
}
