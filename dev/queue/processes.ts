/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/require-node-api-error -- queue-mode harness: starts and stops real processes */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

import { freePort } from '../n8n-cli/n8n-cli';

/**
 * Every process the queue-mode suite and benchmark start goes through here: each in a process
 * group of its own (detached), its output into a log file, stopped with its whole group
 * (SIGTERM or the given signal, SIGKILL after a timeout), and SIGKILLed when this process exits
 * in any way, so nothing is left running.
 */
export interface Started {
	name: string;
	pid: number;
	child: ChildProcess;
	logFile: string;
	/** Resolves when the process has exited. */
	exited: Promise<void>;
	running(): boolean;
	log(): string;
	/** The stop signal to the group, SIGKILL to the group after timeoutMs, then to stragglers. */
	stop(timeoutMs?: number): Promise<void>;
	/** SIGKILL to the process alone (what a crash does), not its group. */
	kill(): Promise<void>;
}

const live = new Set<Started>();

function signalGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pid, signal);
	} catch {
		// ESRCH: the group is gone already.
	}
}

process.once('exit', () => {
	for (const started of live) signalGroup(started.pid, 'SIGKILL');
});

const pause = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

export function startProcess(
	name: string,
	command: string,
	args: string[],
	options: {
		env?: NodeJS.ProcessEnv;
		cwd?: string;
		logFile: string;
		uid?: number;
		gid?: number;
		stopSignal?: NodeJS.Signals;
	},
): Started {
	const out = openSync(options.logFile, 'a');
	const child = spawn(command, args, {
		env: options.env ?? process.env,
		cwd: options.cwd,
		stdio: ['ignore', out, out],
		detached: true,
		uid: options.uid,
		gid: options.gid,
	});
	closeSync(out);
	if (child.pid === undefined) throw new Error(`${name}: ${command} did not start`);
	const pid = child.pid;
	let done = false;
	const exited = new Promise<void>((resolve) => {
		const finish = () => {
			done = true;
			resolve();
		};
		child.once('exit', finish);
		child.once('error', finish);
	});
	const stopSignal = options.stopSignal ?? 'SIGTERM';
	const started: Started = {
		name,
		pid,
		child,
		logFile: options.logFile,
		exited,
		running: () => !done,
		log: () => readFileSync(options.logFile, 'utf8'),
		async stop(timeoutMs = 20_000) {
			if (!done) {
				signalGroup(pid, stopSignal);
				let timer: NodeJS.Timeout | undefined;
				const timedOut = await Promise.race([
					exited.then(() => false),
					new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
				]);
				clearTimeout(timer);
				if (timedOut) signalGroup(pid, 'SIGKILL');
				await exited;
			}
			// Children of the group (task runners) that outlived their parent.
			signalGroup(pid, 'SIGKILL');
			live.delete(started);
		},
		async kill() {
			child.kill('SIGKILL');
			await exited;
		},
	};
	live.add(started);
	return started;
}

/** Stops every process still running, in the reverse order of their start. */
export async function stopAll(): Promise<void> {
	const all = [...live].reverse();
	for (const started of all) await started.stop();
}

/** Thrown from a waitFor check to give up at once (a process exited, say). */
export class GiveUp extends Error {}

/** Polls `check` until it returns a value, or throws after timeoutMs with `what`. */
export async function waitFor<T>(
	what: string,
	check: () => Promise<T | undefined> | T | undefined,
	timeoutMs: number,
	everyMs = 250,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	while (Date.now() < deadline) {
		try {
			const value = await check();
			if (value !== undefined) return value;
		} catch (error) {
			if (error instanceof GiveUp) throw error;
			last = error;
		}
		await pause(everyMs);
	}
	throw new Error(
		`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`,
	);
}

const handedOut = new Set<number>();

/**
 * A free loopback port never handed out before in this process: the OS may give a port it just
 * released to the next caller, and n8n binds its ports only once it runs (task broker, health).
 */
export async function uniquePort(): Promise<number> {
	for (;;) {
		const port = await freePort();
		if (!handedOut.has(port)) {
			handedOut.add(port);
			return port;
		}
	}
}

export { pause };
