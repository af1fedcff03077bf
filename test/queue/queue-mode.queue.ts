/* eslint-disable @n8n/community-nodes/no-restricted-imports, no-console -- queue-mode suite: real n8n main and workers */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { restCall } from '../../dev/n8n-cli/n8n-cli';
import type { CometApiSimulator } from '../../dev/simulator';
import { readFixture, startSimulator } from '../../dev/simulator';
import type { QueueWorker } from '../../dev/queue/cluster';
import { QueueCluster } from '../../dev/queue/cluster';
import {
	acceptedJobIds,
	executionsAfter,
	lastExecutionId,
	longJob,
	maxOverlap,
	storedBinaries,
	waitForEnded,
} from '../../dev/queue/helpers';
import { pause, stopAll, waitFor } from '../../dev/queue/processes';
import {
	createAndWaitWorkflow,
	longJobWorkflow,
	retrieveWorkflow,
} from '../../dev/queue/workflows';

const WORKER_CONCURRENCY = 10;
const sampleSha = createHash('sha256').update(readFixture('sampleVideo')).digest('hex');

/** What the suite saw, written to the logs folder and printed at the end (for the README). */
const findings: Record<string, unknown> = {};

describe('n8n queue mode: one main, two workers, Redis and Postgres, the package on every n8n', () => {
	let sim: CometApiSimulator;
	let cluster: QueueCluster;
	let workers: QueueWorker[];

	beforeAll(async () => {
		const started = Date.now();
		sim = await startSimulator({ clock: 'poll' });
		// n8n's own defaults throughout (Bull lock 60 s, stalled check every 30 s, queue recovery
		// every 180 min): the SIGKILL case records what an operator's set-up does.
		cluster = await QueueCluster.start({
			workflows: [createAndWaitWorkflow(), retrieveWorkflow(), longJobWorkflow()],
			apiKey: sim.apiKey,
			baseUrl: sim.baseUrl,
		});
		workers = await Promise.all([
			cluster.startWorker('worker-a', WORKER_CONCURRENCY),
			cluster.startWorker('worker-b', WORKER_CONCURRENCY),
		]);
		findings.setUpSeconds = Math.round((Date.now() - started) / 1000);
		findings.setUpSteps = cluster.timings;
		console.log(
			`queue cluster up in ${findings.setUpSeconds as number} s; logs in ${cluster.folder}/logs`,
		);
	});

	afterAll(async () => {
		try {
			if (cluster) {
				writeFileSync(
					join(cluster.folder, 'logs', 'findings.json'),
					JSON.stringify(findings, null, 2),
				);
				console.log(`queue-mode findings: ${JSON.stringify(findings, null, 2)}`);
				await cluster.stop();
			}
		} finally {
			await sim?.close();
			await stopAll();
		}
	});

	beforeEach(() => sim.reset());

	it('20 webhook executions of Create-and-wait spread over both workers, all succeed, every video in the database binary store byte for byte', async () => {
		const before = await lastExecutionId(cluster);
		await Promise.all(
			Array.from(
				{ length: 20 },
				async (_, index) =>
					await cluster.webhook('veo-create', {
						items: [{ prompt: `queue clip ${index}`, poll: 1, mcj: 1 }],
					}),
			),
		);
		const rows = await waitForEnded(cluster, before, 20, 240_000);
		expect(rows).toHaveLength(20);
		expect(rows.map((row) => row.status)).toEqual(Array(20).fill('success'));

		// Who ran what, from the workers' own logs ("Worker started execution X").
		const ids = rows.map((row) => row.id);
		const byWorker = workers.map((worker) =>
			worker.startedExecutions().filter((id) => ids.includes(id)),
		);
		findings.spread = Object.fromEntries(
			workers.map((worker, index) => [worker.name, byWorker[index].length]),
		);
		expect(byWorker[0].length).toBeGreaterThan(0);
		expect(byWorker[1].length).toBeGreaterThan(0);
		expect([...byWorker[0], ...byWorker[1]].sort()).toEqual([...ids].sort());

		// One job per execution, each accepted once, each logged by the worker that ran it.
		expect(sim.creates()).toHaveLength(20);
		const taskIds = [...sim.tasks.keys()];
		const logged = workers.map((worker) =>
			acceptedJobIds(worker.log()).filter((id) => taskIds.includes(id)),
		);
		expect([...logged[0], ...logged[1]].sort()).toEqual([...taskIds].sort());

		// database mode (the queue-mode default; no N8N_DEFAULT_BINARY_DATA_MODE set): the video
		// is a row of binary_data in Postgres, byte-identical to what the simulator served.
		const binaries = await storedBinaries(cluster, ids);
		expect(binaries).toHaveLength(20);
		for (const binary of binaries) {
			expect(binary.sha256).toBe(sampleSha);
			expect(binary.mimeType).toBe('video/mp4');
			expect(binary.fileName).toMatch(/^(.+)\.mp4$/);
			expect(taskIds).toContain(binary.fileName.replace(/\.mp4$/, ''));
		}
		expect(new Set(binaries.map((binary) => binary.fileName)).size).toBe(20);
		// The key never went to the video host.
		expect(
			sim.requests.filter((request) => request.server === 'video' && request.headers.authorization),
		).toEqual([]);
	});

	it('Max Concurrent Jobs holds per execution: executions on the workers run their bounds side by side', async () => {
		const before = await lastExecutionId(cluster);
		const executions = 4;
		const items = 4;
		const bound = 2;
		await Promise.all(
			Array.from(
				{ length: executions },
				async (_, run) =>
					await cluster.webhook('veo-create', {
						items: Array.from({ length: items }, (__, item) => ({
							prompt: `bound run ${run} item ${item}`,
							poll: 1,
							mcj: bound,
						})),
					}),
			),
		);
		const rows = await waitForEnded(cluster, before, executions, 180_000);
		expect(rows.map((row) => row.status)).toEqual(Array(executions).fill('success'));
		expect(sim.creates()).toHaveLength(executions * items);
		const perRun = Array.from({ length: executions }, (_, run) =>
			maxOverlap(
				sim,
				[...sim.tasks.values()]
					.filter((task) => task.prompt.startsWith(`bound run ${run} `))
					.map((task) => task.id),
			),
		);
		findings.maxConcurrentJobs = {
			executions,
			itemsEach: items,
			bound,
			mostInFlightPerExecution: perRun,
			mostInFlightOverall: sim.maxJobsInFlight(),
			ceiling: `workers 2 × worker concurrency ${WORKER_CONCURRENCY} × Max Concurrent Jobs ${bound} = ${2 * WORKER_CONCURRENCY * bound}`,
		};
		for (const most of perRun) expect(most).toBeLessThanOrEqual(bound);
		// The bound is not global: several executions' jobs were in flight together.
		expect(sim.maxJobsInFlight()).toBeGreaterThan(bound);
		expect(sim.maxJobsInFlight()).toBeLessThanOrEqual(executions * bound);
	});

	it("stopping a running execution from the main ends the node's polling on the worker; the accepted job id is in the worker's log", async () => {
		sim.script(longJob());
		const before = await lastExecutionId(cluster);
		await cluster.webhook('veo-create', { items: [{ prompt: 'to be stopped', poll: 1, mcj: 1 }] });
		const taskId = await waitFor(
			'the job to be created and polled twice',
			() => {
				const [task] = sim.tasks.values();
				return task && sim.requestsFor(task.id).length >= 3 ? task.id : undefined;
			},
			60_000,
		);
		const [execution] = await executionsAfter(cluster, before);
		expect(execution.status).toBe('running');
		const worker = workers.find((candidate) =>
			candidate.startedExecutions().includes(execution.id),
		)!;
		expect(worker).toBeDefined();

		await restCall(cluster.mainUrl, cluster.cookie, 'POST', `/executions/${execution.id}/stop`);
		const atStop = sim.requestsFor(taskId).length;
		await pause(2000);
		const settled = sim.requestsFor(taskId).length;
		await pause(5000);
		const later = sim.requestsFor(taskId).length;
		findings.stop = {
			pollInterval: 1,
			requestsAtStop: atStop,
			after2s: settled,
			after7s: later,
		};
		// At most one poll already under way when the stop arrived; none after that.
		expect(settled - atStop).toBeLessThanOrEqual(1);
		expect(later).toBe(settled);

		const [row] = await waitFor(
			'the stopped execution to end',
			async () => {
				const rows = await executionsAfter(cluster, before);
				return rows[0]?.status !== 'running' ? rows : undefined;
			},
			30_000,
		);
		(findings.stop as Record<string, unknown>).status = row.status;
		expect(row.status).toBe('canceled');
		expect(acceptedJobIds(worker.log())).toContain(taskId);
		expect(worker.log()).toContain(`CometAPI accepted video job ${taskId} for item 0`);
	});

	it('the long-job pattern: Create without waiting, Wait 65 s (the execution waits in Postgres, no worker holds it), Retrieve with the video', async () => {
		const before = await lastExecutionId(cluster);
		const sentAt = Date.now();
		await cluster.webhook('veo-long', { prompt: 'long job' });
		const [execution] = await waitFor(
			'the execution to be put to wait',
			async () => {
				const rows = await executionsAfter(cluster, before);
				return rows[0]?.status === 'waiting' ? rows : undefined;
			},
			60_000,
		);
		const waitingAfterS = (Date.now() - sentAt) / 1000;
		expect(sim.creates()).toHaveLength(1);
		const [taskId] = sim.tasks.keys();
		// While it waits, no worker runs it: the job's Bull run ended ("Worker finished execution").
		const finishedOnce = workers.filter((worker) =>
			worker.log().includes(`Worker finished execution ${execution.id} `),
		);
		expect(finishedOnce).toHaveLength(1);
		const [row] = await waitForEnded(cluster, before, 1, 180_000);
		expect(row.status).toBe('success');
		const starts = workers.flatMap((worker) =>
			worker
				.startedExecutions()
				.filter((id) => id === execution.id)
				.map(() => worker.name),
		);
		// Started twice: once up to the Wait, once resumed by the main after it (any worker).
		expect(starts).toHaveLength(2);
		const [binary] = await storedBinaries(cluster, [row.id]);
		expect(binary).toMatchObject({ fileName: `${taskId}.mp4`, sha256: sampleSha });
		expect(sim.creates()).toHaveLength(1);
		findings.longJob = {
			waitSeconds: 65,
			waitingInPostgresAfterS: Math.round(waitingAfterS * 10) / 10,
			totalS: Math.round((Date.parse(row.stoppedAt!) - sentAt) / 100) / 10,
			startedOn: starts,
		};
	});

	it('a worker killed (SIGKILL) while its jobs wait: what n8n does with the execution; the job ids are in its log; Retrieve by id recovers the video', async () => {
		sim.script(longJob());
		const before = await lastExecutionId(cluster);
		const executions = 4;
		await Promise.all(
			Array.from(
				{ length: executions },
				async (_, run) =>
					await cluster.webhook('veo-create', {
						items: [{ prompt: `kill run ${run}`, poll: 1, mcj: 1 }],
					}),
			),
		);
		await waitFor(
			'every job to be created and polled',
			() =>
				sim.tasks.size === executions &&
				[...sim.tasks.keys()].every((id) => sim.requestsFor(id).length >= 2)
					? true
					: undefined,
			60_000,
		);
		const rows = await executionsAfter(cluster, before);
		expect(rows.map((row) => row.status)).toEqual(Array(executions).fill('running'));
		const ids = rows.map((row) => row.id);
		const onWorker = workers.map((worker) =>
			worker.startedExecutions().filter((id) => ids.includes(id)),
		);
		const victimIndex = onWorker[0].length >= onWorker[1].length ? 0 : 1;
		const victim = workers[victimIndex];
		const survivor = workers[1 - victimIndex];
		const killed = onWorker[victimIndex];
		expect(killed.length).toBeGreaterThan(0);
		const taskIds = [...sim.tasks.keys()];
		const victimJobs = acceptedJobIds(victim.log()).filter((id) => taskIds.includes(id));
		expect(victimJobs).toHaveLength(killed.length);

		const killedAt = Date.now();
		await victim.process.kill();
		const createsAtKill = sim.creates().length;
		// The survivor's own executions are stopped from the main, as an operator would.
		for (const id of onWorker[1 - victimIndex])
			await restCall(cluster.mainUrl, cluster.cookie, 'POST', `/executions/${id}/stop`);

		// Polling of the victim's jobs ended with the process.
		await pause(3000);
		const counts = victimJobs.map((id) => sim.requestsFor(id).length);
		await pause(3000);
		expect(victimJobs.map((id) => sim.requestsFor(id).length)).toEqual(counts);

		// What n8n then does, with its defaults: the execution stays "running" until Bull's lock
		// on the job expires and a stalled check (on the surviving worker) fails the job (n8n
		// sets maxStalledCount 0: never re-run); the main then records the execution as failed.
		const timeline: Array<{ afterS: number; statuses: Record<string, string> }> = [];
		const ended = await waitFor(
			'the killed executions to leave "running"',
			async () => {
				const now = await executionsAfter(cluster, before);
				const statuses = Object.fromEntries(
					now.filter((row) => killed.includes(row.id)).map((row) => [row.id, row.status]),
				);
				const last = timeline[timeline.length - 1];
				if (!last || JSON.stringify(last.statuses) !== JSON.stringify(statuses))
					timeline.push({ afterS: Math.round((Date.now() - killedAt) / 1000), statuses });
				return Object.values(statuses).every((status) => status !== 'running')
					? statuses
					: undefined;
			},
			300_000,
			1000,
		);
		const reasons = await cluster.pg.query<{ id: string; stalled: boolean }>(
			`select "executionId"::text as id, data like '%failed to be processed too many times%' as stalled
			 from execution_data where "executionId" in (${killed.map(Number).join(',')})`,
		);
		findings.sigkill = {
			killedWorker: victim.name,
			executionsOnIt: killed,
			acceptedJobIdsInItsLog: victimJobs,
			statusTimeline: timeline,
			finalStatuses: ended,
			secondsUntilEnded: Math.round((Date.now() - killedAt) / 1000),
			errorIsStalledJob: reasons,
			newCreatesAfterKill: sim.creates().length - createsAtKill,
			survivorTookOver: survivor.startedExecutions().filter((id) => killed.includes(id)),
		};
		// Not re-run elsewhere: no second create (a second bill) for the lost executions.
		expect(sim.creates().length).toBe(createsAtKill);
		expect(survivor.startedExecutions().filter((id) => killed.includes(id))).toEqual([]);
		for (const status of Object.values(ended)) expect(status).toBe('error');
		for (const reason of reasons) expect(reason.stalled).toBe(true);

		// The recovery path: Retrieve by id (on the surviving worker) fetches the finished video.
		const [jobId] = victimJobs;
		sim.advance(jobId, 1000);
		const beforeRetrieve = await lastExecutionId(cluster);
		await cluster.webhook('veo-retrieve', { taskId: jobId });
		const [retrieved] = await waitForEnded(cluster, beforeRetrieve, 1, 60_000);
		expect(retrieved.status).toBe('success');
		expect(survivor.startedExecutions()).toContain(retrieved.id);
		const [binary] = await storedBinaries(cluster, [retrieved.id]);
		expect(binary).toMatchObject({ fileName: `${jobId}.mp4`, sha256: sampleSha });
		expect(sim.creates().length).toBe(createsAtKill);
		(findings.sigkill as Record<string, unknown>).retrievedById = {
			jobId,
			execution: retrieved.id,
			status: retrieved.status,
		};
	});
});
