import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

/**
 * What the node answers an AI Agent when it runs as a tool. n8n hands the model only the
 * JSON of the tool's output items (JSON.stringify of their `json`; binary data is dropped), and
 * of a thrown error only its message (n8n 2.x) or nothing, since 1.x ends the execution. So as
 * a tool every item becomes this small, stable answer, failures included. docs/ai-agent.md.
 */

/** The typed outcome (OUTCOMES.md): null when nothing failed. */
export interface ToolFailure extends IDataObject {
	kind: string;
	retryable: boolean;
	message: string;
}

export interface ToolAnswer extends IDataObject {
	/** The CometAPI task id; null when no job was accepted (refused before sending, in doubt). */
	id: string | null;
	/** queued, in_progress, completed, failed, cancelled, unknown; not_started when no job. */
	status: string;
	progress: number | null;
	video_url: string | null;
	/** When the video URL stops working (ISO 8601), where CometAPI says. */
	expires_at: string | null;
	failure: ToolFailure | null;
	/** What the model should do next, in one sentence. */
	next_step: string;
}

/**
 * Whether this run is the node's tool variant. n8n names it after the node's type + "Tool"
 * (`n8n-nodes-cometapi-veo.cometApiVeoTool`) in 1.x and 2.x, whichever way the agent calls it.
 * `isToolExecution()` (2.x only) is true only when n8n runs the node inside the agent's own
 * context (older agents, MCP); the AI Agent v3 has the engine run it as a node, where it is false.
 */
export function isToolRun(ctx: {
	getNode(): Pick<INode, 'type'>;
	isToolExecution?: () => boolean;
}): boolean {
	if (ctx.getNode().type.endsWith('Tool')) return true;
	return typeof ctx.isToolExecution === 'function' && ctx.isToolExecution() === true;
}

const objectOf = (value: unknown): IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value)
		? (value as IDataObject)
		: {};

const textOrNull = (value: unknown): string | null =>
	typeof value === 'string' && value.trim() !== '' ? value : null;

const numberOrNull = (value: unknown): number | null =>
	typeof value === 'number' && Number.isFinite(value) ? value : null;

/** Unix seconds (or ms) or a date string, as ISO 8601; null when absent or unreadable. */
function isoTime(value: unknown): string | null {
	const seconds =
		typeof value === 'number'
			? value
			: typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())
				? Number(value)
				: undefined;
	const ms =
		seconds !== undefined
			? seconds > 1e12
				? seconds
				: seconds * 1000
			: typeof value === 'string'
				? Date.parse(value)
				: NaN;
	return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : null;
}

function failureOf(value: unknown): ToolFailure | null | undefined {
	if (value === null) return null;
	const failure = objectOf(value);
	if (typeof failure.kind !== 'string') return undefined;
	return {
		kind: failure.kind,
		retryable: failure.retryable === true,
		message: typeof failure.message === 'string' ? failure.message : '',
	};
}

/**
 * Before the node sets `failure` on every item, the contract's safe default: a timeout is
 * `timed_out`, any other error `upstream_failed` (not retryable).
 */
function fallbackFailure(task: IDataObject, error: string | null): ToolFailure | null {
	if (task.timed_out === true)
		return {
			kind: 'timed_out',
			retryable: true,
			message: `Task ${String(task.id)} is still ${String(task.status)}`,
		};
	if (error === null) return null;
	return { kind: 'upstream_failed', retryable: false, message: error };
}

const NEXT_STEP: Record<string, string> = {
	timed_out:
		'Still rendering: check this id again later. Do not start the same video again, it would be billed again.',
	content_refused:
		'Refused by a safety or content filter: rewrite the prompt (or image) and start once more.',
	invalid_request: 'Refused as invalid: change the request before starting again.',
	auth_failed: 'The CometAPI credential was refused: tell the user; retrying will not help.',
	rate_limited: 'Rate limited by CometAPI: wait a while, then make the same call again.',
	spend_limit:
		"Over this workflow's spending limit for the run: start no more videos and tell the user.",
	in_doubt:
		'CometAPI may have accepted (and billed) this start, but no id came back: do not start it again; tell the user to check their CometAPI task list.',
	download_failed: 'Finished, but the video could not be fetched: check this id again.',
	stopped: 'Stopped before it ended: check this id again, if it has one.',
};

function nextStep(status: string, failure: ToolFailure | null, hasId: boolean): string {
	if (failure) {
		const known = NEXT_STEP[failure.kind];
		if (known) return known;
		return failure.retryable
			? 'Failed at CometAPI: the same call may succeed later.'
			: 'Failed at CometAPI: tell the user; starting again is a new billed job.';
	}
	if (status === 'completed') return 'Done: give the user video_url.';
	if (hasId) return 'Started and billed: check this id later. Do not start the same video again.';
	return 'Nothing was started.';
}

/**
 * One finished output item's json as the tool answer. Reads today's fields: a task (id,
 * status, progress, video_url, raw.expires_at, timed_out), Create's `cost_estimate`, an error
 * item's `error` and `details` (the task, `raw` removed), and the contract's `failure`.
 */
export function toToolAnswer(json: IDataObject): ToolAnswer {
	const error = textOrNull(json.error);
	// An error item carries the task in details; a success item is the task.
	const task = error !== null ? objectOf(json.details) : json;
	const raw = objectOf(task.raw);
	const id = textOrNull(task.id);
	const status = textOrNull(task.status) ?? (id ? 'unknown' : 'not_started');
	// A success item carries `failure` itself; an error item in its details (OUTCOMES.md).
	const failure =
		failureOf(json.failure) ?? failureOf(task.failure) ?? fallbackFailure(task, error);
	const answer: ToolAnswer = {
		id,
		status,
		progress: numberOrNull(task.progress),
		video_url: textOrNull(task.video_url),
		expires_at: isoTime(task.expires_at ?? raw.expires_at),
		failure,
		next_step: nextStep(status, failure, id !== null),
	};
	// Create only: the estimate it held against the spend limit (a guard, not a bill).
	if ('cost_estimate' in json) {
		const cost = objectOf(json.cost_estimate);
		answer.cost_estimate =
			typeof cost.amount === 'number'
				? { amount: cost.amount, currency: cost.currency ?? null }
				: null;
		if (typeof json.cost_estimate_reason === 'string')
			answer.cost_estimate_reason = json.cost_estimate_reason;
	}
	if (typeof json.variant === 'number') answer.variant = json.variant;
	return answer;
}

/**
 * A failure the node threw for the whole run (bad input, the spend limit, a stopped batch) as
 * the tool answer: the contract puts `failure` in the error's `context`.
 */
export function toolAnswerOfError(error: { message: string; context?: IDataObject }): ToolAnswer {
	const context = objectOf(error.context);
	return toToolAnswer({ error: error.message, failure: context.failure ?? undefined });
}

const variantOf = (json: IDataObject): unknown => json.variant ?? objectOf(json.details).variant;

/**
 * The run's output as tool answers: json only (no binary), each still paired with its input.
 * `variant` only when an item made more than one video (Videos per Prompt above 1): with one
 * it would tell the model nothing.
 */
export function toToolItems(items: INodeExecutionData[]): INodeExecutionData[] {
	const numbered = items.some((item) => {
		const variant = variantOf(item.json);
		return typeof variant === 'number' && variant > 1;
	});
	return items.map((item) => {
		const json = toToolAnswer(item.json);
		if (numbered) {
			const variant = variantOf(item.json);
			if (typeof variant === 'number') json.variant = variant;
		} else delete json.variant;
		return { json, ...(item.pairedItem !== undefined ? { pairedItem: item.pairedItem } : {}) };
	});
}
