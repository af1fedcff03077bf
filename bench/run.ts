/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- benchmark command, not node code */
/**
 * `npm run bench`: this node against n8n's own OpenAI "Generate Video" node (same /v1/videos
 * protocol) and, for request overhead, n8n's HTTP Request node, in one real n8n, against the
 * same CometAPI simulator, in one run. Writes bench/RESULTS.md. Every figure is a median of
 * BENCH_RUNS runs (default 3) with its range; comparisons are ratios within this run.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

import type { N8nInstance, N8nPaths } from '../dev/n8n-cli/n8n-cli';
import {
	importCredentials,
	importWorkflow,
	installPackage,
	n8nPaths,
	PROJECT_ROOT,
	scratchN8n,
} from '../dev/n8n-cli/n8n-cli';
import { packPackage } from '../dev/n8n-cli/package';
import type { CometApiSimulator } from '../dev/simulator';
import { startSimulator } from '../dev/simulator';
import type { Measured } from './measure';
import { executeMeasured, median, spread } from './measure';
import {
	HEADER_CREDENTIAL,
	httpDownloadWorkflow,
	httpRequestWorkflow,
	OPENAI_CREDENTIAL,
	openAiWorkflow,
	VEO_CREDENTIAL,
	veoWorkflow,
} from './workflows';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const T_MS = Number(process.env.BENCH_JOB_MS ?? 6000);
const INTERVAL_S = 10; // the OpenAI node polls every 10 s and cannot be told otherwise
const SIZES = (process.env.BENCH_N ?? '1,5,20').split(',').map(Number);
const BIG_MB = Number(process.env.BENCH_BIG_MB ?? 512);
const OVERHEAD_ITEMS = Number(process.env.BENCH_OVERHEAD_ITEMS ?? 500);

type Peer = 'veo' | 'openai';

async function world(
	paths: N8nPaths,
	tarball: string,
	sim: CometApiSimulator,
): Promise<N8nInstance> {
	const instance = scratchN8n(paths);
	await installPackage(instance, tarball);
	await importCredentials(instance, [
		{
			id: VEO_CREDENTIAL,
			name: 'bench veo',
			type: 'cometApiVeoApi',
			data: { apiKey: sim.apiKey, baseUrl: sim.baseUrl },
		},
		{
			id: OPENAI_CREDENTIAL,
			name: 'bench openai',
			type: 'openAiApi',
			data: { apiKey: sim.apiKey, url: `${sim.baseUrl}/v1`, header: false },
		},
		{
			id: HEADER_CREDENTIAL,
			name: 'bench header',
			type: 'httpHeaderAuth',
			data: { name: 'Authorization', value: `Bearer ${sim.apiKey}` },
		},
	]);
	return instance;
}

function check(measured: Measured, what: string): Measured {
	if (!measured.ok)
		throw new Error(`${what} failed: ${measured.error ?? JSON.stringify(measured.nodes.Video)}`);
	return measured;
}

interface ManyJobs {
	wallS: Record<Peer, Record<number, number[]>>;
	requestsPerJob: Record<Peer, number[]>;
	noticeS: Record<Peer, number[]>;
}

/** 1. Many jobs, 2. requests per job, 5. time to notice: jobs that take T each. */
async function manyJobs(paths: N8nPaths, tarball: string): Promise<ManyJobs> {
	const sim = await startSimulator({ clock: 'time', stepMs: T_MS / 2 });
	const instance = await world(paths, tarball, sim);
	const result: ManyJobs = {
		wallS: { veo: {}, openai: {} },
		requestsPerJob: { veo: [], openai: [] },
		noticeS: { veo: [], openai: [] },
	};
	try {
		for (const count of SIZES) {
			for (const peer of ['veo', 'openai'] as Peer[]) {
				const id = `bench${peer}many${count}`.slice(0, 16).padEnd(16, '0');
				await importWorkflow(
					instance,
					peer === 'veo'
						? veoWorkflow(id, count, {
								wait: true,
								pollInterval: INTERVAL_S,
								maxConcurrentJobs: count,
							})
						: openAiWorkflow(id, count),
				);
				for (let run = 0; run < RUNS; run++) {
					sim.reset();
					const measured = check(await executeMeasured(paths, instance, id), `${peer} N=${count}`);
					(result.wallS[peer][count] ??= []).push(measured.wallMs / 1000);
					for (const task of sim.tasks.values()) {
						const requests = sim.requestsFor(task.id);
						result.requestsPerJob[peer].push(requests.length);
						const doneAt = task.createdMs + T_MS;
						const download = requests.find(
							(request) => request.server === 'video' || request.path.endsWith('/content'),
						);
						if (download) result.noticeS[peer].push((download.at - doneAt) / 1000);
					}
					console.log(
						`many jobs: ${peer} N=${count} run ${run + 1}: ${(measured.wallMs / 1000).toFixed(1)} s`,
					);
				}
			}
		}
	} finally {
		await sim.close();
	}
	return result;
}

type BigPeer = Peer | 'http';
const BIG_PEERS: BigPeer[] = ['veo', 'openai', 'http'];

/** The next job: queued, then completed at its first poll, with a video of `videoSize` bytes. */
function scriptBigVideo(sim: CometApiSimulator, videoSize: number): void {
	sim.script({
		steps: [
			{ status: 'queued', progress: 0 },
			{ status: 'completed', progress: 100 },
		],
		videoSize,
	});
}

/** A finished task made straight on the simulator, for the HTTP Request node to download. */
async function finishedTask(sim: CometApiSimulator, videoSize: number): Promise<string> {
	scriptBigVideo(sim, videoSize);
	const form = new FormData();
	for (const [name, value] of Object.entries({
		prompt: 'benchmark download',
		model: 'veo3-fast',
		size: '1280x720',
		seconds: '4',
	}))
		form.append(name, value);
	const response = await fetch(`${sim.baseUrl}/v1/videos`, {
		method: 'POST',
		headers: { authorization: `Bearer ${sim.apiKey}` },
		body: form,
	});
	if (!response.ok)
		throw new Error(`the simulator refused the download task: HTTP ${response.status}`);
	const { id } = (await response.json()) as { id: string };
	sim.advance(id, 1);
	return id;
}

/**
 * 3. Peak memory of the n8n process for a big video against a 1 MB one, filesystem mode.
 * Every node downloads after one 10 s interval, at the same point after n8n's start-up.
 */
async function bigVideo(
	paths: N8nPaths,
	tarball: string,
): Promise<Record<BigPeer, Record<number, number[]>>> {
	const sim = await startSimulator({ clock: 'poll' });
	const instance = await world(paths, tarball, sim);
	const peaks: Record<BigPeer, Record<number, number[]>> = { veo: {}, openai: {}, http: {} };
	try {
		for (const peer of BIG_PEERS) {
			for (const megabytes of [1, BIG_MB]) {
				const id = `bench${peer}big${megabytes}`.slice(0, 16).padEnd(16, '0');
				sim.reset();
				if (peer === 'http') {
					const taskId = await finishedTask(sim, megabytes * 1024 * 1024);
					await importWorkflow(
						instance,
						httpDownloadWorkflow(id, `${sim.videoHostUrl}/videos/${taskId}.mp4`, INTERVAL_S),
					);
				} else {
					await importWorkflow(
						instance,
						peer === 'veo'
							? veoWorkflow(id, 1, { wait: true, pollInterval: INTERVAL_S, maxConcurrentJobs: 1 })
							: openAiWorkflow(id, 1),
					);
				}
				for (let run = 0; run < RUNS; run++) {
					if (peer !== 'http') {
						sim.reset();
						scriptBigVideo(sim, megabytes * 1024 * 1024);
					}
					const measured = check(
						await executeMeasured(paths, instance, id),
						`${peer} ${megabytes} MB`,
					);
					(peaks[peer][megabytes] ??= []).push(measured.peakRssMb);
					console.log(
						`big video: ${peer} ${megabytes} MB run ${run + 1}: peak RSS ${measured.peakRssMb.toFixed(0)} MB`,
					);
				}
			}
		}
	} finally {
		await sim.close();
	}
	return peaks;
}

/** 4. Time per item of creates without waiting: this node against the HTTP Request node. */
async function overhead(
	paths: N8nPaths,
	tarball: string,
): Promise<Record<'veo' | 'http', number[]>> {
	const sim = await startSimulator({ clock: 'poll' });
	const instance = await world(paths, tarball, sim);
	const perItemMs: Record<'veo' | 'http', number[]> = { veo: [], http: [] };
	try {
		for (const peer of ['veo', 'http'] as const) {
			const id = `bench${peer}overhead`.slice(0, 16).padEnd(16, '0');
			await importWorkflow(
				instance,
				peer === 'veo'
					? veoWorkflow(id, OVERHEAD_ITEMS, { wait: false, pollInterval: 10, maxConcurrentJobs: 5 })
					: httpRequestWorkflow(id, OVERHEAD_ITEMS, sim.baseUrl),
			);
			for (let run = 0; run < RUNS; run++) {
				sim.reset();
				const measured = check(await executeMeasured(paths, instance, id), `${peer} overhead`);
				if (sim.creates().filter((request) => request.status === 200).length !== OVERHEAD_ITEMS)
					throw new Error(`${peer}: not every create was accepted`);
				perItemMs[peer].push(measured.nodes.Video.executionTime / OVERHEAD_ITEMS);
				console.log(
					`overhead: ${peer} run ${run + 1}: ${(measured.nodes.Video.executionTime / OVERHEAD_ITEMS).toFixed(2)} ms/item`,
				);
			}
		}
	} finally {
		await sim.close();
	}
	return perItemMs;
}

function report(
	paths: N8nPaths,
	many: ManyJobs,
	big: Record<BigPeer, Record<number, number[]>>,
	over: Record<'veo' | 'http', number[]>,
): string {
	const target = 1.3 * (T_MS / 1000 + INTERVAL_S);
	const floor = Math.ceil(T_MS / 1000 / INTERVAL_S) + 2;
	const rows: string[] = [];
	const row = (...cells: string[]) => rows.push(`| ${cells.join(' | ')} |`);
	rows.push(`# Benchmarks: CometAPI Veo node vs n8n's OpenAI "Generate Video" node`, '');
	rows.push(`- date: ${new Date().toISOString()}`);
	rows.push(
		`- machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux`,
	);
	rows.push(
		`- n8n ${paths.n8nVersion} (CLI, \`n8n execute\`, SQLite, filesystem binary mode) on Node ${process.env.BENCH_NODE_VERSION ?? '24'}; the package installed from its npm tarball`,
	);
	rows.push(
		`- CometAPI simulator on 127.0.0.1 (its video host on 127.0.0.2 where the machine has it); every job takes T = ${T_MS / 1000} s; poll interval ${INTERVAL_S} s for both nodes (the OpenAI node's is fixed)`,
	);
	rows.push(
		`- each figure: median (min–max) of ${RUNS} runs; ratios are taken within this run`,
		'',
	);
	rows.push('## 1. Many jobs: wall time of the workflow (s)', '');
	row(
		'items',
		'this node',
		'OpenAI node',
		'OpenAI / this',
		`target for this node (N = 20): ≤ ${target.toFixed(1)} s`,
	);
	row('---', '---', '---', '---', '---');
	for (const count of SIZES) {
		const ours = many.wallS.veo[count] ?? [];
		const peer = many.wallS.openai[count] ?? [];
		const verdict = count === 20 ? (median(ours) <= target ? 'met' : 'MISSED') : '';
		row(
			String(count),
			spread(ours),
			spread(peer),
			(median(peer) / median(ours)).toFixed(2),
			verdict,
		);
	}
	rows.push(
		'',
		`This node ran with Max Concurrent Jobs = N; with its default of 5, N jobs take about ceil(N / 5) job times.`,
		'',
	);
	rows.push('## 2. Requests per job (simulator records)', '');
	row('node', 'requests per job', `floor ceil(T / interval) + 2 = ${floor}`);
	row('---', '---', '---');
	row(
		'this node',
		spread(many.requestsPerJob.veo),
		(median(many.requestsPerJob.veo) / floor).toFixed(2) + ' × floor',
	);
	row(
		'OpenAI node',
		spread(many.requestsPerJob.openai),
		(median(many.requestsPerJob.openai) / floor).toFixed(2) + ' × floor',
	);
	rows.push(
		'',
		`## 3. Big video: peak RSS of the n8n process (MB), ${BIG_MB} MB video vs 1 MB`,
		'',
	);
	row('node', '1 MB', `${BIG_MB} MB`, 'difference', 'target for this node: < 64 MB');
	row('---', '---', '---', '---', '---');
	const bigNames: Record<BigPeer, string> = {
		veo: 'this node',
		openai: 'OpenAI node',
		http: "HTTP Request node, the same file as a File response (n8n's own streamed download)",
	};
	for (const peer of BIG_PEERS) {
		const small = big[peer][1] ?? [];
		const large = big[peer][BIG_MB] ?? [];
		const delta = median(large) - median(small);
		row(
			bigNames[peer],
			spread(small, 0),
			spread(large, 0),
			delta.toFixed(0),
			peer === 'veo' ? (delta < 64 ? 'met' : 'MISSED') : '',
		);
	}
	rows.push(
		'',
		'Every node downloads after one 10 s interval, at the same point after start-up. Why all three rise by about 70 MB: bench/MEMORY.md.',
	);
	rows.push(
		'',
		`## 4. Overhead per item: ${OVERHEAD_ITEMS} creates without waiting, instant simulator (ms per item)`,
		'',
	);
	row('node', 'ms per item', 'this / HTTP Request', 'target: no slower than HTTP Request');
	row('---', '---', '---', '---');
	const ratio = median(over.veo) / median(over.http);
	row(
		'this node (Max Concurrent Jobs 5)',
		spread(over.veo, 2),
		ratio.toFixed(2),
		ratio <= 1 ? 'met' : 'MISSED',
	);
	row('HTTP Request node (key in a Header Auth credential)', spread(over.http, 2), '1.00', '');
	rows.push(
		'',
		'## 5. Time to notice: job finished in the simulator → the node fetches its video (s)',
		'',
	);
	row('node', 'median', 'worst', 'jobs');
	row('---', '---', '---', '---');
	for (const peer of ['veo', 'openai'] as Peer[]) {
		const values = many.noticeS[peer];
		row(
			peer === 'veo' ? 'this node' : 'OpenAI node',
			median(values).toFixed(2),
			Math.max(...values).toFixed(2),
			String(values.length),
		);
	}
	rows.push(
		'',
		'Reproduce: `npm run bench` (BENCH_RUNS, BENCH_JOB_MS, BENCH_N, BENCH_BIG_MB, BENCH_OVERHEAD_ITEMS adjust it; BENCH_ONLY=big (or many, overhead) runs parts and BENCH_NODE_ARGS=--trace-gc passes flags to the n8n process; such runs only print).',
		'',
	);
	return rows.join('\n');
}

async function main(): Promise<void> {
	const paths = n8nPaths();
	const { tarball } = await packPackage();
	const only = [...new Set((process.env.BENCH_ONLY ?? 'many,big,overhead').split(','))].filter(
		(part) => ['many', 'big', 'overhead'].includes(part),
	);
	const many = only.includes('many')
		? await manyJobs(paths, tarball)
		: {
				wallS: { veo: {}, openai: {} },
				requestsPerJob: { veo: [], openai: [] },
				noticeS: { veo: [], openai: [] },
			};
	const big = only.includes('big')
		? await bigVideo(paths, tarball)
		: { veo: {}, openai: {}, http: {} };
	const over = only.includes('overhead') ? await overhead(paths, tarball) : { veo: [], http: [] };
	const text = report(paths, many, big, over);
	console.log(`\n${text}`);
	// Only a whole, untraced run stands for the results: a part or a traced run is printed only.
	if (only.length === 3 && !process.env.BENCH_NODE_ARGS) {
		// bench:queue owns the part between its markers: keep it.
		const file = join(PROJECT_ROOT, 'bench', 'RESULTS.md');
		const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
		const queue = /<!-- bench:queue start -->[\s\S]*<!-- bench:queue end -->/.exec(previous)?.[0];
		writeFileSync(file, queue ? `${text.trimEnd()}\n\n${queue}\n` : text);
	} else console.log('A partial or traced run: bench/RESULTS.md left as it was.');
}

main().catch((error: Error) => {
	console.error(error.stack ?? error.message);
	process.exit(1);
});
