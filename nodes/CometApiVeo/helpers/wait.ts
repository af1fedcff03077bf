import type { IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { VideoTask } from './task';
import { isTerminal } from './task';

export interface PollSettings {
	intervalMs: number;
	maxWaitMs: number;
}

export interface PollResult {
	task: VideoTask;
	timedOut: boolean;
	/** Polling ended early because the node is about to fail anyway. */
	stopped: boolean;
}

/**
 * Polls until the task is terminal or Max Wait is spent. Sleeps on the execution's cancel
 * signal, so stopping the execution ends every job's polling at once.
 */
export async function pollUntilTerminal(
	this: IExecuteFunctions,
	first: VideoTask,
	settings: PollSettings,
	fetch: () => Promise<VideoTask>,
	onUpdate: (task: VideoTask) => void,
	stopping: () => boolean,
): Promise<PollResult> {
	const deadline = Date.now() + settings.maxWaitMs;
	let task = first;
	while (!isTerminal(task.status)) {
		if (stopping()) return { task, timedOut: false, stopped: true };
		const left = deadline - Date.now();
		if (left <= 0) return { task, timedOut: true, stopped: false };
		await sleep(Math.min(settings.intervalMs, left), this.getExecutionCancelSignal());
		task = await fetch();
		onUpdate(task);
	}
	return { task, timedOut: false, stopped: false };
}
