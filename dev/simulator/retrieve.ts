import type { ApiContext } from './api';
import { taskNotFoundReply } from './errors';
import { jsonReply, type Reply } from './http';
import type { TaskState } from './tasks';
import type { FailureReasonName, RecordedRequest, SimTask, TaskScript } from './types';
import { videoHostUrl, type Origins } from './video';

// CometAPI's Retrieve route: GET /v1/videos/{id}, and the task object that create answers too.

export const FAILURE_MESSAGE = 'Content policy violation: the prompt was rejected';
export const FAILURE_CODE = 'content_policy_violation';

/**
 * The words a failed task gives. The refusals are worded as CometAPI, Google's Veo (Vertex AI's
 * usage guidelines with a support code; a relay's "Gemini filtered the generated media.") and
 * OpenAI-style moderation word them; 'generation-failed' and 'unknown-words' fail for another
 * reason. Relays built like CometAPI put a generic code beside a provider's message.
 */
export const FAILURE_REASONS: Record<FailureReasonName, { code: string; message: string }> = {
	'content-policy': { code: FAILURE_CODE, message: FAILURE_MESSAGE },
	'veo-usage-guidelines': {
		code: 'task_failed',
		message:
			"The prompt could not be submitted. This prompt contains words that violate Vertex AI's usage guidelines. Support codes: 29310472",
	},
	'veo-image-guidelines': {
		code: 'task_failed',
		message:
			"Veo could not generate videos because the input image violates Vertex AI's usage guidelines. Support codes: 15236754",
	},
	'rai-filtered': { code: 'task_failed', message: 'Gemini filtered the generated media.' },
	moderation: {
		code: 'moderation_blocked',
		message: 'Your request was blocked by our moderation system.',
	},
	'generation-failed': {
		code: 'task_failed',
		message: 'Video generation failed, please try again later',
	},
	'unknown-words': { code: 'E_UPSTREAM_7781', message: 'Quantum flux capacitor misaligned' },
};
/** The support codes a 'rai-filtered' task passes through (Veo: celebrity, in and out). */
export const RAI_SUPPORT_CODES = ['29310472', '15236754'];
/** How long a completed task's URL is said to stay valid (expires_at). */
const URL_LIFETIME_S = 3600;

export function retrieveVideo(ctx: ApiContext, record: RecordedRequest, taskId: string): Reply {
	if (!ctx.tasks.get(taskId)) return taskNotFoundReply(taskId);
	record.taskId = taskId;
	return answerTask(ctx, taskId, record.method === 'GET');
}

/** The task as it stands now; with the poll clock, a create or GET then moves it one step (a HEAD does not). */
export function answerTask(ctx: ApiContext, taskId: string, moves: boolean): Reply {
	const task = ctx.tasks.get(taskId);
	if (!task) return taskNotFoundReply(taskId);
	const view = renderTask(task, ctx.tasks.state(task), ctx.origins);
	if (moves) ctx.tasks.afterAnswer(task);
	return jsonReply(200, view);
}

/** The task object CometAPI answers on create and retrieve; keys sorted like its Go encoder does. */
export function renderTask(
	task: SimTask,
	state: TaskState,
	origins: Origins,
): Record<string, unknown> {
	const { script } = task;
	const view: Record<string, unknown> = {
		created_at: task.createdAt,
		id: task.id,
		model: task.model,
		object: 'video',
		progress: state.failed ? progressBeforeFailure(script, state.position) : state.step.progress,
		seconds: task.seconds,
		size: task.size,
		status: applyCase(statusName(script, state), script.statusCase),
	};
	if (script.withTaskId) view.task_id = task.id;
	if (state.completed) Object.assign(view, completedFields(task, origins));
	if (state.failed) Object.assign(view, failureFields(script));
	return sortKeys(view);
}

function statusName(script: TaskScript, state: TaskState): string {
	if (!state.terminal) return state.step.status;
	if (script.terminalStatusName !== undefined) return script.terminalStatusName;
	if (state.completed) return state.step.status;
	return script.failure === 'status-error' ? 'error' : 'failed';
}

// A failed job stopped where it was: show the progress of the step before the terminal one.
function progressBeforeFailure(script: TaskScript, position: number): number {
	return script.steps[Math.max(0, position - 1)].progress;
}

function applyCase(status: string, casing: TaskScript['statusCase']): string {
	if (casing === 'upper') return status.toUpperCase();
	if (casing === 'title')
		return status
			.split('_')
			.map((word) => word.charAt(0).toUpperCase() + word.slice(1))
			.join('_');
	return status;
}

function completedFields(task: SimTask, origins: Origins): Record<string, unknown> {
	const { script } = task;
	const fields: Record<string, unknown> = { completed_at: task.completedAt };
	if (script.expiresAt) fields.expires_at = (task.completedAt ?? task.createdAt) + URL_LIFETIME_S;
	const url = completedUrl(task, origins);
	if (url === undefined) return fields;
	fields[script.urlField] = script.urlField === 'data' ? [{ url }] : url;
	return fields;
}

function completedUrl(task: SimTask, origins: Origins): string | undefined {
	if (task.script.videoUrl === 'video-host') return videoHostUrl(origins, task.id);
	if (task.script.videoUrl === 'api-content')
		return `${origins.baseUrl}/v1/videos/${task.id}/content`;
	return undefined;
}

function failureFields(script: TaskScript): Record<string, unknown> {
	const { code, message } = FAILURE_REASONS[script.failureReason ?? 'content-policy'];
	switch (script.failure) {
		case 'error-string':
			return { error: message };
		case 'fail_reason':
			return { fail_reason: message };
		case 'rai-filtered':
			return {
				error: { message },
				raiMediaFilteredCount: 1,
				raiMediaFilteredReasons: [...RAI_SUPPORT_CODES],
			};
		case 'error-object':
		case 'status-error':
			return { error: { code, message } };
	}
}

function sortKeys(view: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(Object.entries(view).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
