/* eslint-disable @n8n/community-nodes/require-node-api-error -- test-side server: the community-node rules bind the shipped node, not this */
import { FaultQueue } from './faults';
import { closeServer, listen, trackSockets } from './listen';
import { RequestLog } from './records';
import { ScriptBook } from './scripts';
import { createApiServer } from './server';
import type { Origins } from './task-view';
import { TaskStore } from './tasks';
import { Timers } from './timers';
import type { CometApiSimulator, SimulatorOptions } from './types';
import { createVideoHost, listenVideoHost } from './video-host';

export type * from './types';
export { fixturePath, readFixture } from './fixtures';
export { FAILURE_CODE, FAILURE_MESSAGE } from './task-view';
export { videoDigest } from './video-bytes';
export { defaultScript } from './scripts';
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
	const origins: Origins = { baseUrl: '', videoHostUrl: '' };
	const deps = { log, faults, timers };

	const api = createApiServer(deps, { apiKey, tasks, scripts, origins, checkImages: options.checkImages ?? true });
	const videoHost = createVideoHost(deps, tasks);
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
		advance: (taskId, steps = 1) => tasks.advance(taskId, steps),
		reset() {
			log.clear();
			tasks.clear();
			scripts.clear();
			faults.clear();
		},
		creates: () => log.creates(),
		requestsFor: (taskId) => log.requestsFor(taskId),
		maxJobsInFlight: () => log.maxJobsInFlight(),
		async close() {
			timers.cancelAll();
			await Promise.all([closeServer(api, apiSockets), closeServer(videoHost, videoSockets)]);
		},
	};
}
