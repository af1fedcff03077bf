/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- benchmark command, not node code */
/**
 * `npm run bench:queue`: the package in n8n queue mode (main, workers, Redis, Postgres on this
 * machine), driven through the main's production webhook as an operator would.
 *   1. 40 executions × 1 job of T = 6 s through one worker, then through two (concurrency 10
 *      each): wall time, jobs per minute, each worker's peak RSS and CPU time.
 *   2. A 256 MB video against a 1 MB one in `database` binary mode (queue mode's default):
 *      the worker's peak RSS, for this node and for n8n's HTTP Request node downloading the
 *      same file.
 * Appends (or replaces) its own section of bench/RESULTS.md; the other figures stay as they are.
 * BENCH_QUEUE_PRINT_ONLY=1 only prints; BENCH_QUEUE_FROM=<logs/bench-queue.json> rewrites the section
 * from a run's recorded figures.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

import { PROJECT_ROOT } from '../dev/n8n-cli/n8n-cli';
import type { CometApiSimulator } from '../dev/simulator';
import { startSimulator } from '../dev/simulator';
import type { QueueWorker } from '../dev/queue/cluster';
import { QueueCluster } from '../dev/queue/cluster';
import type { ExecutionRow } from '../dev/queue/helpers';
import { lastExecutionId, storedBinaries, waitForEnded } from '../dev/queue/helpers';
import { stopAll } from '../dev/queue/processes';
import { createAndWaitWorkflow, httpDownloadWorkflow } from '../dev/queue/workflows';

const EXECUTIONS = Number(process.env.BENCH_QUEUE_EXECUTIONS ?? 40);
const T_MS = 6000;
const POLL_S = Number(process.env.BENCH_QUEUE_POLL_S ?? 2);
const CONCURRENCY = 10;
const BIG_MB = Number(process.env.BENCH_QUEUE_BIG_MB ?? 256);
const MB = 1024 * 1024;
const START = '<!-- bench:queue start -->';
const END = '<!-- bench:queue end -->';

/** CPU seconds of every process in a process group (Postgres's backends, a worker's task runner). */
function groupCpuSeconds(pgid: number): number {
	let total = 0;
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (Number(fields[2]) !== pgid) continue;
			// utime + stime, and the same of children it has waited for.
			total += fields.slice(11, 15).reduce((sum, field) => sum + Number(field), 0);
		} catch {
			// The process is gone.
		}
	}
	return total / 100;
}

const loadAverage = () => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);

interface Stage {
	median: number;
	max: number;
}

const stage = (values: number[]): Stage => ({ median: median(values), max: Math.max(...values) });

interface Throughput {
	workers: number;
	wallS: number;
	jobsPerMinute: number;
	/** Per worker: executions run, peak RSS (MB), CPU seconds during the run. */
	perWorker: Array<{ name: string; executions: number; peakRssMb: number; cpuS: number }>;
	mainCpuS: number;
	postgresCpuS: number;
	/** Median seconds from the webhook to the execution's start on a worker, and to its end. */
	medianQueuedS: number;
	medianRunS: number;
	/** Per job, from the simulator's records and Postgres (s). */
	stages: {
		webhookToCreate: Stage;
		completedToDownload: Stage;
		downloadToStopped: Stage;
	};
	loadAverage: { before: number; after: number };
}

const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function throughput(
	cluster: QueueCluster,
	sim: CometApiSimulator,
	count: number,
): Promise<Throughput> {
	const names = ['worker-a', 'worker-b'].slice(0, count);
	const workers: QueueWorker[] = await Promise.all(
		names.map(async (name) => await cluster.startWorker(name, CONCURRENCY)),
	);
	try {
		sim.reset();
		const before = await lastExecutionId(cluster);
		const cpuBefore = workers.map((worker) => groupCpuSeconds(worker.pid));
		const mainBefore = groupCpuSeconds(cluster.main.pid);
		const pgBefore = groupCpuSeconds(cluster.pg.process.pid);
		const loadBefore = loadAverage();
		const sentAt = Date.now();
		await Promise.all(
			Array.from(
				{ length: EXECUTIONS },
				async (_, index) =>
					await cluster.webhook('veo-create', {
						items: [{ prompt: `queue bench ${index}`, poll: POLL_S, mcj: 1 }],
					}),
			),
		);
		const rows: ExecutionRow[] = await waitForEnded(cluster, before, EXECUTIONS, 600_000);
		const failed = rows.filter((row) => row.status !== 'success');
		if (failed.length > 0)
			throw new Error(`${failed.length} executions did not succeed: ${JSON.stringify(failed[0])}`);
		if (sim.creates().length !== EXECUTIONS) throw new Error('not one create per execution');
		const stopped = Math.max(...rows.map((row) => Date.parse(row.stoppedAt!)));
		const wallS = (stopped - sentAt) / 1000;
		const ids = rows.map((row) => row.id);
		const loadAfter = loadAverage();
		const stoppedOf = new Map(rows.map((row) => [row.id, Date.parse(row.stoppedAt!)]));
		const executionOf = new Map(
			(await storedBinaries(cluster, ids)).map((binary) => [
				binary.fileName.replace(/\.mp4$/, ''),
				binary.executionId,
			]),
		);
		const tasks = [...sim.tasks.values()];
		const downloadAt = (id: string) =>
			sim.requestsFor(id).find((request) => request.server === 'video')?.at ?? NaN;
		const stages = {
			webhookToCreate: stage(tasks.map((task) => (task.createdMs - sentAt) / 1000)),
			completedToDownload: stage(
				tasks.map((task) => (downloadAt(task.id) - task.createdMs - T_MS) / 1000),
			),
			downloadToStopped: stage(
				tasks.map(
					(task) =>
						((stoppedOf.get(String(executionOf.get(task.id))) ?? NaN) - downloadAt(task.id)) / 1000,
				),
			),
		};
		const result: Throughput = {
			workers: count,
			wallS,
			jobsPerMinute: (EXECUTIONS / wallS) * 60,
			perWorker: workers.map((worker, index) => ({
				name: worker.name,
				executions: worker.startedExecutions().filter((id) => ids.includes(id)).length,
				peakRssMb: worker.peakRssMb(),
				cpuS: groupCpuSeconds(worker.pid) - cpuBefore[index],
			})),
			mainCpuS: groupCpuSeconds(cluster.main.pid) - mainBefore,
			postgresCpuS: groupCpuSeconds(cluster.pg.process.pid) - pgBefore,
			medianQueuedS: median(rows.map((row) => (Date.parse(row.startedAt!) - sentAt) / 1000)),
			medianRunS: median(
				rows.map((row) => (Date.parse(row.stoppedAt!) - Date.parse(row.startedAt!)) / 1000),
			),
			stages,
			loadAverage: { before: loadBefore, after: loadAfter },
		};
		console.log(`throughput, ${count} worker(s): ${JSON.stringify(result)}`);
		return result;
	} finally {
		for (const worker of workers) await cluster.stopWorker(worker);
	}
}

/** A finished task made straight on the simulator, for the HTTP Request node to download. */
async function finishedTask(sim: CometApiSimulator, videoSize: number): Promise<string> {
	sim.script({
		steps: [
			{ status: 'queued', progress: 0 },
			{ status: 'completed', progress: 100 },
		],
		videoSize,
	});
	const form = new FormData();
	form.append('prompt', 'benchmark download');
	form.append('model', 'veo3-fast');
	const response = await fetch(`${sim.baseUrl}/v1/videos`, {
		method: 'POST',
		headers: { authorization: `Bearer ${sim.apiKey}` },
		body: form,
	});
	if (!response.ok) throw new Error(`the simulator refused the task: HTTP ${response.status}`);
	const { id } = (await response.json()) as { id: string };
	sim.advance(id, 1);
	return id;
}

type BigPeer = 'veo' | 'http';

/** One execution on a fresh worker; its peak RSS (VmHWM) afterwards. */
async function bigVideo(
	cluster: QueueCluster,
	sim: CometApiSimulator,
	peer: BigPeer,
	megabytes: number,
): Promise<number> {
	const worker = await cluster.startWorker('worker-big', CONCURRENCY);
	try {
		sim.reset();
		const before = await lastExecutionId(cluster);
		if (peer === 'veo') {
			sim.script({
				steps: [
					{ status: 'queued', progress: 0 },
					{ status: 'completed', progress: 100 },
				],
				videoSize: megabytes * MB,
			});
			await cluster.webhook('veo-create', {
				items: [{ prompt: `big video ${megabytes} MB`, poll: 1, mcj: 1 }],
			});
		} else {
			const id = await finishedTask(sim, megabytes * MB);
			await cluster.webhook('http-download', { url: `${sim.videoHostUrl}/videos/${id}.mp4` });
		}
		const [row] = await waitForEnded(cluster, before, 1, 600_000);
		if (row.status !== 'success') throw new Error(`${peer} ${megabytes} MB: ${row.status}`);
		const [binary] = await storedBinaries(cluster, [row.id]);
		if (Number(binary?.fileSize) !== megabytes * MB)
			throw new Error(`${peer} ${megabytes} MB: stored ${binary?.fileSize} bytes`);
		const peak = worker.peakRssMb();
		console.log(`big video: ${peer} ${megabytes} MB: worker peak RSS ${peak.toFixed(0)} MB`);
		return peak;
	} finally {
		await cluster.stopWorker(worker);
	}
}

interface Recorded {
	date: string;
	n8nVersion: string;
	runs: Throughput[];
	big: Record<BigPeer, Record<number, number>>;
}

function section({ date, n8nVersion, runs, big }: Recorded): string {
	const [one, two] = runs;
	const ratio = two.jobsPerMinute / one.jobsPerMinute;
	const ideal = (workers: number) => Math.ceil(EXECUTIONS / (workers * CONCURRENCY));
	const perRound = (one.wallS - two.wallS) / (ideal(1) - ideal(2));
	const fixed = two.wallS - ideal(2) * perRound;
	const fmt = (value: number, digits = 1) => value.toFixed(digits);
	const rows = runs.map(
		(run) =>
			`| ${run.workers} | ${fmt(run.wallS)} | ${fmt(run.jobsPerMinute)} | ${ideal(run.workers)} | ${run.perWorker
				.map((worker) => `${worker.name}: ${worker.executions}`)
				.join(', ')} | ${run.perWorker.map((worker) => fmt(worker.peakRssMb, 0)).join(' / ')} |`,
	);
	const span = (value: Stage) => `${fmt(value.median)} (${fmt(value.max)})`;
	const stageRows = runs.map(
		(run) =>
			`| ${run.workers} | ${span(run.stages.webhookToCreate)} | ${span(run.stages.completedToDownload)} | ${span(run.stages.downloadToStopped)} | ${fmt(run.medianRunS)} | ${run.perWorker.map((worker) => fmt(worker.cpuS)).join(' / ')} | ${fmt(run.mainCpuS)} | ${fmt(run.postgresCpuS)} | ${fmt(run.loadAverage.before)} → ${fmt(run.loadAverage.after)} |`,
	);
	const bigRows = (['veo', 'http'] as BigPeer[]).map((peer) => {
		const small = big[peer][1];
		const large = big[peer][BIG_MB];
		const label =
			peer === 'veo'
				? 'this node (Create, wait, Video as Binary)'
				: "n8n's HTTP Request node (response format File)";
		return `| ${label} | ${fmt(small, 0)} | ${fmt(large, 0)} | ${fmt(large - small, 0)} |`;
	});
	return [
		START,
		'',
		'## Queue mode: main, workers, Redis, Postgres (`npm run bench:queue`)',
		'',
		`- date: ${date}`,
		`- machine: ${cpus().length} × ${cpus()[0]?.model.split(' ').slice(0, 2).join(' ') ?? 'CPU'}, ${Math.round(totalmem() / 1024 ** 3)} GiB, Linux; everything below on these cores: main, workers, Postgres ${'15'} (Debian), Redis 7 (Debian), the simulator`,
		`- n8n ${n8nVersion} in queue mode: \`n8n start\` (main) and \`n8n worker --concurrency=${CONCURRENCY}\`, each with the package installed from its npm tarball in its own user folder; binary data mode left unset (queue mode's default, \`database\`)`,
		`- executions started through the main's production webhook (Webhook → Split Out → Create, wait, Video as Binary); poll interval ${POLL_S} s; simulator clock 'time', every job takes T = ${T_MS / 1000} s; one run each`,
		'',
		`### ${EXECUTIONS} executions × 1 job, one worker vs two`,
		'',
		`| workers | wall time (s) | jobs per minute | rounds: ceil(${EXECUTIONS} / (workers × ${CONCURRENCY})) | executions per worker | peak RSS per worker (MB) |`,
		'| --- | --- | --- | --- | --- | --- |',
		...rows,
		'',
		'Where the time goes, per job: median (max), seconds; CPU seconds of each process group during the run (a worker with its task runner, the main, Postgres with its backends); the 1-minute load average of the machine before → after.',
		'',
		'| workers | webhook → create | job done → download starts | download starts → execution stopped | execution run (median) | worker CPU | main CPU | Postgres CPU | load average |',
		'| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
		...stageRows,
		'',
		`Two workers: **${fmt(ratio, 2)}×** the jobs per minute of one (target ≥ 1.8×: ${ratio >= 1.8 ? 'met' : 'MISSED'}). Wall time runs from the first webhook call to the last execution's \`stoppedAt\` in Postgres.`,
		'',
		`What limits it: the wall times fit *fixed + rounds × round*, rounds = ceil(${EXECUTIONS} / (workers × ${CONCURRENCY})): one round takes ${fmt(perRound)} s (the ${T_MS / 1000} s job, then about ${fmt(perRound - T_MS / 1000)} s for the worker to notice it done, store the video, save the execution, take the next job from Redis, load it from Postgres and send its create), and ${fmt(fixed)} s stay whatever the number of workers: the main taking in the ${EXECUTIONS} webhook calls (each is written to Postgres and queued; ${fmt(one.mainCpuS)} s of the main's CPU) and the start of the first executions, on a machine whose load average stood at ${fmt(two.loadAverage.before)} (2 cores shared with other work). A second worker halves the rounds, not the fixed part, so the ratio is (fixed + ${ideal(1)} rounds) / (fixed + ${ideal(2)} rounds) = ${fmt((fixed + ideal(1) * perRound) / (fixed + ideal(2) * perRound), 2)}×; the job's own steps (job done → download → execution stopped) take well under a second and do not grow with two workers. A longer batch dilutes the fixed part: with ${EXECUTIONS * 2} executions the same figures would give ${fmt((fixed + Math.ceil((EXECUTIONS * 2) / CONCURRENCY) * perRound) / (fixed + Math.ceil((EXECUTIONS * 2) / (2 * CONCURRENCY)) * perRound), 2)}×.`,
		'',
		`### A ${BIG_MB} MB video in \`database\` binary mode: the worker's peak RSS (MB)`,
		'',
		`| node | 1 MB | ${BIG_MB} MB | difference |`,
		'| --- | --- | --- | --- |',
		...bigRows,
		'',
		`Each figure from a fresh worker (VmHWM of its n8n process) that ran that one execution. **\`database\` mode buffers whole files**: n8n's binary store takes the whole file into one Buffer before it writes the row (\`binaryToBuffer\` in n8n's DatabaseBinaryDataManager.store; its limit is \`N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE\`, 512 MiB by default), and the row is then sent to Postgres, so a streamed download still costs ${fmt((big.veo[BIG_MB] - big.veo[1]) / BIG_MB, 1)}× the file's size in peak memory for this node and ${fmt((big.http[BIG_MB] - big.http[1]) / BIG_MB, 1)}× for n8n's own HTTP Request node. For big videos on workers, use \`filesystem\` on a volume every n8n process shares, or \`s3\`.`,
		'',
		'Reproduce: `npm run bench:queue` (BENCH_QUEUE_EXECUTIONS, BENCH_QUEUE_POLL_S, BENCH_QUEUE_BIG_MB adjust it).',
		'',
		END,
	].join('\n');
}

function writeSection(text: string): void {
	const file = join(PROJECT_ROOT, 'bench', 'RESULTS.md');
	const current = readFileSync(file, 'utf8');
	const start = current.indexOf(START);
	const end = current.indexOf(END);
	const next =
		start >= 0 && end > start
			? current.slice(0, start) + text + current.slice(end + END.length)
			: `${current.replace(/\n*$/, '')}\n\n${text}\n`;
	writeFileSync(file, next);
}

async function main(): Promise<void> {
	// BENCH_QUEUE_FROM=<bench-queue.json of a run>: write the section again from recorded figures.
	if (process.env.BENCH_QUEUE_FROM) {
		const recorded = JSON.parse(readFileSync(process.env.BENCH_QUEUE_FROM, 'utf8')) as Recorded;
		const text = section(recorded);
		writeSection(text);
		console.log(text);
		return;
	}
	const sim = await startSimulator({ clock: 'time', stepMs: T_MS / 2 });
	let cluster: QueueCluster | undefined;
	try {
		cluster = await QueueCluster.start({
			workflows: [createAndWaitWorkflow(), httpDownloadWorkflow()],
			apiKey: sim.apiKey,
			baseUrl: sim.baseUrl,
		});
		console.log(`queue cluster up; logs in ${cluster.folder}/logs`);
		const runs = [await throughput(cluster, sim, 1), await throughput(cluster, sim, 2)];
		const big: Record<BigPeer, Record<number, number>> = { veo: {}, http: {} };
		for (const peer of ['veo', 'http'] as BigPeer[])
			for (const megabytes of [1, BIG_MB])
				big[peer][megabytes] = await bigVideo(cluster, sim, peer, megabytes);
		const recorded: Recorded = {
			date: new Date().toISOString(),
			n8nVersion: cluster.paths.n8nVersion,
			runs,
			big,
		};
		const text = section(recorded);
		writeFileSync(
			join(cluster.folder, 'logs', 'bench-queue.json'),
			JSON.stringify(recorded, null, 2),
		);
		if (!process.env.BENCH_QUEUE_PRINT_ONLY) writeSection(text);
		console.log(text);
	} finally {
		await cluster?.stop();
		await sim.close();
		await stopAll();
	}
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
