import type FormData from 'form-data';
import type { IExecuteFunctions } from 'n8n-workflow';

import { apiRequest, MAY_BE_ACCEPTED } from '../transport';
import { inDoubt, isCreateInDoubt } from '../failures';
import { apiError } from '../transport/errors';
import type { Scope } from '../transport/runtime';
import type { VideoTask } from './task';
import { isValidTaskId, normaliseTask } from './task';

/** The job a create is sent for: it is told while the create's outcome is unknown (maybe billed). */
export interface CreateJob extends Scope {
	createInDoubt(inDoubt: boolean): void;
}

/**
 * POST /v1/videos. Sent again only when CometAPI certainly did not take it. While its outcome
 * is unknown the job says so, so that an error or a Stop still names it as possibly billed; a
 * refusal clears that. An answer whose id cannot be followed is an error that keeps the answer:
 * the job may exist and be billed.
 */
export async function createTask(
	this: IExecuteFunctions,
	job: CreateJob,
	buildForm: () => Promise<FormData>,
): Promise<VideoTask> {
	const scope: Scope = job;
	const stoppedBefore = job.cancelSignal.aborted;
	job.createInDoubt(true);
	// Not converted here: the batch turns every failure into n8n's error, once (engine/node-error).
	const raw = await apiRequest
		.call(this, scope, {
			method: 'POST',
			path: '/v1/videos',
			body: buildForm,
			retry: 'create',
		})
		.catch(async (error: unknown) => {
			// A Stop during the create leaves it in doubt: it may have reached CometAPI whole.
			const stoppedOnTheWire = !stoppedBefore && job.cancelSignal.aborted;
			if (!stoppedOnTheWire && !isCreateInDoubt(error)) job.createInDoubt(false);
			return await Promise.reject(error as Error);
		});
	const task = normaliseTask(raw);
	if (!isValidTaskId(task.id)) {
		const problem = task.id
			? `a task id that cannot be followed (${JSON.stringify(task.id.slice(0, 80))})`
			: 'no task id';
		throw inDoubt(
			apiError(this, {
				message: `Item ${scope.itemIndex}: CometAPI accepted the create but its answer holds ${problem}: ${JSON.stringify(raw).slice(0, 300)}`,
				description: MAY_BE_ACCEPTED,
				itemIndex: scope.itemIndex,
				response: { answer: JSON.stringify(raw).slice(0, 2000) },
			}),
		);
	}
	return task;
}

/** GET /v1/videos/{id}, normalised. A poll passes its deadline: retries end there. */
export async function fetchTask(
	this: IExecuteFunctions,
	scope: Scope,
	taskId: string,
	poll?: { deadline: number },
): Promise<VideoTask> {
	const raw = await apiRequest.call(this, scope, {
		method: 'GET',
		path: `/v1/videos/${encodeURIComponent(taskId)}`,
		retry: poll ? 'poll' : 'read',
		deadline: poll?.deadline,
	});
	// The id asked for stays the job's id, whatever the answer calls itself (kept in raw).
	return { ...normaliseTask(raw, taskId), id: taskId };
}
