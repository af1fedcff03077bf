import type { IExecuteFunctions } from 'n8n-workflow';

import { DeadlineReached } from '../transport/retry';
import type { Scope } from '../transport/runtime';
import type { VideoTask } from '../cometapi/task';
import { isTerminal } from '../cometapi/task';
import { fetchTask } from '../cometapi/videos';

export interface PollSettings {
	intervalMs: number;
	maxWaitMs: number;
}

export type PollEnd = 'terminal' | 'timedOut' | 'stopped';

/**
 * Polls until the task is terminal or Max Wait is spent; retries inside a poll end at the same
 * deadline. Every wait is on the job's signal, so stopping the execution, or another item's
 * failure, ends polling at once. `onUpdate` sees every state, so the id is never lost.
 */
export async function pollUntilTerminal(
	this: IExecuteFunctions,
	scope: Scope,
	first: VideoTask,
	settings: PollSettings,
	onUpdate: (task: VideoTask) => void,
): Promise<{ task: VideoTask; end: PollEnd }> {
	const { clock } = scope.runtime;
	const deadline = clock.now() + settings.maxWaitMs;
	let task = first;
	const poll = async (): Promise<{ task: VideoTask; end: PollEnd }> => {
		while (!isTerminal(task.status)) {
			const left = deadline - clock.now();
			if (left <= 0) return { task, end: 'timedOut' };
			await clock.sleep(Math.min(settings.intervalMs, left), scope.signal);
			task = await fetchTask.call(this, scope, task.id, { deadline });
			onUpdate(task);
		}
		return { task, end: 'terminal' };
	};
	return await poll().catch(async (error: unknown) => {
		if (error instanceof DeadlineReached) return { task, end: 'timedOut' as const };
		if (scope.signal.aborted) return { task, end: 'stopped' as const };
		// Not converted here: the batch turns every failure into n8n's error, once (engine/node-error).
		return await Promise.reject(error as Error);
	});
}
