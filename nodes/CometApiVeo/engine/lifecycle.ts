import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { classifyTaskFailure } from '../cometapi/failure-kind';
import { failedAs } from '../failures';
import { apiError } from '../transport/errors';
import { downloadVideo } from '../media/video/download';
import type { Job, JobResult } from './jobs';
import type { VideoTask } from '../cometapi/task';
import type { PollSettings } from './polling';
import { pollUntilTerminal } from './polling';

/** How Create and Retrieve hand back a job: at once, or waited for with the video or its URL. */
export interface WaitSettings extends PollSettings {
	wait: boolean;
	output: 'binary' | 'url';
	onTimeout: 'return' | 'error';
	binaryPropertyName: string;
	/** Empty: `<task id>.mp4`. */
	fileName: string;
	maxDownloadMs: number;
}

/**
 * The rest of a job's life once CometAPI knows its task: wait until it is done, then hand back
 * the video as binary or the URL only. Every state is recorded on the job first, so its id
 * and status reach the output whatever fails later.
 */
export async function finishJob(
	this: IExecuteFunctions,
	job: Job,
	known: VideoTask,
	settings: WaitSettings,
): Promise<JobResult> {
	job.record(known);
	if (!settings.wait) return { json: known };

	const { task, end } = await pollUntilTerminal.call(this, job, known, settings, (latest) =>
		job.record(latest),
	);
	if (end === 'stopped') {
		const failure = { kind: 'stopped', retryable: true, message: 'The execution was stopped' };
		return { json: { ...task, failure } };
	}
	if (end === 'timedOut') {
		const minutes = settings.maxWaitMs / 60_000;
		const message = `Task ${task.id} did not finish within ${minutes} minutes (last status: ${task.status})`;
		const timedOut = { kind: 'timed_out', retryable: true } as const;
		if (settings.onTimeout === 'error') {
			const error = new NodeOperationError(this.getNode(), message, {
				itemIndex: job.itemIndex,
				description: `Retrieve task ${task.id} later: the job goes on at CometAPI.`,
			});
			throw failedAs(error, timedOut);
		}
		return { json: { ...task, timed_out: true, failure: { ...timedOut, message } } };
	}
	if (task.status !== 'completed') {
		const word = typeof task.raw.status === 'string' ? task.raw.status : task.status;
		const error = apiError(this, {
			message: `CometAPI task ${task.id} ${task.status}: ${task.error ?? 'no reason given'}`,
			description: `Task ${task.id} ended with status "${word}".`,
			itemIndex: job.itemIndex,
		});
		const { kind, retryable } = classifyTaskFailure(task.raw);
		throw failedAs(error, { kind, retryable });
	}
	if (settings.output === 'url') return { json: task };

	const fileName = settings.fileName || `${task.id}.mp4`;
	const binary = await downloadVideo.call(this, job, task, fileName, settings.maxDownloadMs);
	return { json: task, binary: { [settings.binaryPropertyName]: binary } };
}
