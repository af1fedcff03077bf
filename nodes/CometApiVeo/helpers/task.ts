import type { IDataObject } from 'n8n-workflow';

export type TaskStatus = 'queued' | 'in_progress' | 'completed' | 'failed' | 'cancelled' | string;

/** The node's stable view of a CometAPI task, whatever shape CometAPI answered in. */
export interface VideoTask extends IDataObject {
	id: string;
	status: TaskStatus;
	progress: number | null;
	model: string | null;
	size: string | null;
	seconds: string | null;
	created_at: number | null;
	completed_at: number | null;
	video_url: string | null;
	error: string | null;
	raw: IDataObject;
}

// CometAPI's docs list queued/in_progress/completed/failed and its own sample also treats
// `error` as terminal; other spellings and casings have been seen on sibling routes.
const STATUS_ALIASES: Record<string, TaskStatus> = {
	queued: 'queued',
	pending: 'queued',
	submitted: 'queued',
	not_start: 'queued',
	in_progress: 'in_progress',
	processing: 'in_progress',
	running: 'in_progress',
	completed: 'completed',
	complete: 'completed',
	succeeded: 'completed',
	succeed: 'completed',
	success: 'completed',
	finished: 'completed',
	done: 'completed',
	failed: 'failed',
	failure: 'failed',
	fail: 'failed',
	error: 'failed',
	expired: 'failed',
	rejected: 'failed',
	timeout: 'failed',
	timed_out: 'failed',
	cancelled: 'cancelled',
	canceled: 'cancelled',
};

export function normaliseStatus(status: unknown): TaskStatus {
	if (typeof status !== 'string' || !status.trim()) return 'unknown';
	const key = status.trim().toLowerCase().replace(/[\s-]+/g, '_');
	return STATUS_ALIASES[key] ?? key;
}

export function isTerminal(status: TaskStatus): boolean {
	return status === 'completed' || status === 'failed' || status === 'cancelled';
}

function text(value: unknown): string | null {
	if (typeof value === 'string') return value;
	if (typeof value === 'number') return String(value);
	return null;
}

function num(value: unknown): number | null {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && value.trim() && Number.isFinite(Number(value))) return Number(value);
	return null;
}

/** `video_url` is documented as optional; sibling routes put the URL elsewhere. */
export function videoUrlOf(raw: IDataObject): string | null {
	const candidates: unknown[] = [raw.video_url, raw.url, raw.output];
	const data = raw.data;
	if (Array.isArray(data) && data.length > 0) candidates.push((data[0] as IDataObject)?.url);
	if (typeof data === 'object' && data !== null && !Array.isArray(data))
		candidates.push((data as IDataObject).url);
	for (const value of candidates) {
		if (typeof value === 'string' && /^https?:\/\//i.test(value)) return value;
	}
	return null;
}

/** Failure details are not documented for Veo: `error` object, `error` text or `fail_reason`. */
export function failureReasonOf(raw: IDataObject): string | null {
	const error = raw.error;
	if (typeof error === 'string' && error.trim()) return error;
	if (typeof error === 'object' && error !== null) {
		const message = (error as IDataObject).message;
		if (typeof message === 'string' && message.trim()) return message;
		const code = (error as IDataObject).code;
		if (typeof code === 'string' && code.trim()) return code;
	}
	const failReason = raw.fail_reason ?? raw.failure_reason;
	if (typeof failReason === 'string' && failReason.trim()) return failReason;
	return null;
}

/** `id`, else `task_id`, also inside a `data` wrapper; empty strings do not count. */
export function taskIdOf(raw: IDataObject): string | undefined {
	const data = typeof raw.data === 'object' && raw.data !== null && !Array.isArray(raw.data) ? (raw.data as IDataObject) : {};
	for (const value of [raw.id, raw.task_id, data.id, data.task_id]) {
		const id = text(value)?.trim();
		if (id) return id;
	}
	return undefined;
}

export function normaliseTask(raw: IDataObject, fallbackId?: string): VideoTask {
	const id = taskIdOf(raw) ?? fallbackId ?? '';
	const error = failureReasonOf(raw);
	let status = normaliseStatus(raw.status);
	// An answer with a failure reason and no status is a failure, not a job to wait on.
	if (error && status === 'unknown') status = 'failed';
	return {
		id,
		status,
		progress: num(raw.progress),
		model: text(raw.model),
		size: text(raw.size),
		seconds: text(raw.seconds) || null,
		created_at: num(raw.created_at),
		completed_at: num(raw.completed_at),
		video_url: videoUrlOf(raw),
		error,
		raw,
	};
}
