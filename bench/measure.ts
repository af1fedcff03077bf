/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions, no-console -- benchmark harness, not node code */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

import type { N8nInstance, N8nPaths } from '../dev/n8n-cli/n8n-cli';

export interface Measured {
	ok: boolean;
	/** The execution's own start to stop (n8n's startedAt/stoppedAt), ms: no CLI start-up in it. */
	wallMs: number;
	/** Peak resident memory of the n8n process (VmHWM), MB. */
	peakRssMb: number;
	/** Per node: start (epoch ms) and execution time (ms) of its first run. */
	nodes: Record<
		string,
		{ startTime: number; executionTime: number; items: number; error?: string }
	>;
	error?: string;
}

function vmHwmKb(pid: number): number | undefined {
	try {
		const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) : undefined;
	} catch {
		return undefined;
	}
}

interface RawRun {
	startedAt: string;
	stoppedAt: string;
	status: string;
	data: {
		resultData: {
			error?: { message: string };
			runData: Record<
				string,
				Array<{
					startTime: number;
					executionTime: number;
					data?: { main: unknown[][] };
					error?: { message: string };
				}>
			>;
		};
	};
}

/** `n8n execute --id … --rawOutput`, sampling the process's peak RSS until it exits. */
export async function executeMeasured(
	paths: N8nPaths,
	instance: N8nInstance,
	workflowId: string,
): Promise<Measured> {
	// BENCH_NODE_ARGS (e.g. --trace-gc) reach the n8n process; V8's trace lines are passed on.
	const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
	const child = spawn(
		paths.node,
		[...nodeArgs, paths.n8n, 'execute', `--id=${workflowId}`, '--rawOutput'],
		{
			env: instance.env,
			cwd: instance.userFolder,
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	let stdout = '';
	child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	child.stderr.resume();
	let peakKb = 0;
	const sampler = setInterval(() => {
		peakKb = Math.max(peakKb, vmHwmKb(child.pid!) ?? 0);
	}, 50);
	const code = await new Promise<number>((resolve) =>
		child.on('exit', (exitCode) => resolve(exitCode ?? 1)),
	);
	clearInterval(sampler);

	// V8 writes --trace-gc lines to stdout, in among n8n's output: set them aside.
	const v8Trace = /^\[\d+:0x[0-9a-f]+(:\d+)?\]/;
	const all = stdout.split('\n');
	for (const line of all) if (v8Trace.test(line)) console.error(line);
	const lines = all.filter((line) => !v8Trace.test(line));
	const start = lines.findIndex((line) => line.startsWith('{'));
	let run: RawRun | undefined;
	if (start >= 0) {
		const text = lines.slice(start).join('\n');
		try {
			run = JSON.parse(text.slice(0, text.lastIndexOf('}') + 1)) as RawRun;
		} catch {
			run = undefined;
		}
	}
	if (!run)
		return {
			ok: false,
			wallMs: NaN,
			peakRssMb: peakKb / 1024,
			nodes: {},
			error: `exit ${code}, no run data`,
		};
	const nodes: Measured['nodes'] = {};
	for (const [name, runs] of Object.entries(run.data.resultData.runData)) {
		const first = runs[0];
		nodes[name] = {
			startTime: first.startTime,
			executionTime: first.executionTime,
			items: (first.data?.main?.[0] ?? []).length,
			error: first.error?.message,
		};
	}
	const error = run.data.resultData.error?.message;
	return {
		ok: code === 0 && run.status === 'success' && !error,
		wallMs: Date.parse(run.stoppedAt) - Date.parse(run.startedAt),
		peakRssMb: peakKb / 1024,
		nodes,
		error,
	};
}

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** "median (min–max)". */
export function spread(values: number[], digits = 1): string {
	if (values.length === 0) return 'n/a';
	const fmt = (value: number) => value.toFixed(digits);
	return `${fmt(median(values))} (${fmt(Math.min(...values))}–${fmt(Math.max(...values))})`;
}
