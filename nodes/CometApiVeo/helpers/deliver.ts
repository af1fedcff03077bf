import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { JobContext, JobResult } from '../actions/types';
import type { WaitSettings } from '../actions/video/waiting.description';
import { apiError } from '../transport/errors';
import { downloadVideo } from './download';
import { fetchTask } from './fetch-task';
import type { VideoTask } from './task';
import { pollUntilTerminal } from './wait';

/**
 * From an accepted task to the item the user wants: wait until it is done, then the video as
 * binary or the URL only. Every step reports the latest task to the job, so its id and status
 * reach the output whatever fails later.
 */
export async function deliver(
	this: IExecuteFunctions,
	accepted: VideoTask,
	settings: WaitSettings,
	job: JobContext,
): Promise<JobResult> {
	job.update(accepted);
	if (!settings.wait) return { json: accepted };

	const { task, timedOut, stopped } = await pollUntilTerminal.call(
		this,
		accepted,
		settings,
		async () => await fetchTask.call(this, accepted.id, job.itemIndex),
		(latest) => job.update(latest),
		() => job.stopping(),
	);
	if (stopped) return { json: task };
	if (timedOut) {
		const minutes = settings.maxWaitMs / 60_000;
		if (settings.onTimeout === 'error') {
			throw new NodeOperationError(
				this.getNode(),
				`Task ${task.id} did not finish within ${minutes} minutes (last status: ${task.status})`,
				{ itemIndex: job.itemIndex, description: `Retrieve task ${task.id} later: the job goes on at CometAPI.` },
			);
		}
		return { json: { ...task, timed_out: true } };
	}
	if (task.status !== 'completed') {
		throw apiError(this, {
			message: `CometAPI task ${task.id} ${task.status}: ${task.error ?? 'no reason given'}`,
			description: `Task ${task.id} ended with status "${task.status}".`,
			itemIndex: job.itemIndex,
		});
	}
	if (settings.output === 'url') return { json: task };

	const fileName = settings.fileName || `${task.id}.mp4`;
	const binary = await downloadVideo.call(this, task, fileName, job.itemIndex);
	return { json: task, binary: { [settings.binaryPropertyName]: binary } };
}
