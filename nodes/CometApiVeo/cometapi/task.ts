import type { IDataObject } from 'n8n-workflow';

import { isObject } from '../helpers/json';

/** The node's five states, plus `unknown` for a word it cannot place (it keeps polling those). */
export type TaskStatus =
	| 'queued'
	| 'in_progress'
	| 'completed'
	| 'failed'
	| 'cancelled'
	| 'unknown';

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
const STATUS_WORDS: Record<string, TaskStatus> = {
	queued: 'queued',
	queueing: 'queued',
	pending: 'queued',
	submitted: 'queued',
	created: 'queued',
	not_start: 'queued',
	not_started: 'queued',
	waiting: 'queued',
	in_progress: 'in_progress',
	processing: 'in_progress',
	running: 'in_progress',
	generating: 'in_progress',
	started: 'in_progress',
	completed: 'completed',
	complete: 'completed',
	succeeded: 'completed',
	succeed: 'completed',
	success: 'completed',
	successful: 'completed',
	finished: 'completed',
	done: 'completed',
	ready: 'completed',
};

// Any word that sounds like an ending other than success ends the wait as a failure: a job
// that will never complete must not be polled until Max Wait.
const CANCELLED = /cancel/;
const FAILED =
	/fail|error|reject|refus|denied|block|moderat|violat|flag|censor|nsfw|unsafe|filtered|expire|timeout|timed_out|abort|terminat|invalid|not_allowed/;

export function normaliseStatus(status: unknown): TaskStatus {
	if (typeof status !== 'string' || !status.trim()) return 'unknown';
	const word = status
		.trim()
		.toLowerCase()
		.replace(/[\s-]+/g, '_');
	if (STATUS_WORDS[word]) return STATUS_WORDS[word];
	if (CANCELLED.test(word)) return 'cancelled';
	if (FAILED.test(word)) return 'failed';
	return 'unknown';
}

export function isTerminal(status: TaskStatus): boolean {
	return status === 'completed' || status === 'failed' || status === 'cancelled';
}

// CometAPI ids look like `task_<alphanumerics>`; anything that could leave its path segment
// (slashes, dots only, query or fragment marks, spaces) is refused before a request is built.
const TASK_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/;

export function isValidTaskId(id: string): boolean {
	return TASK_ID.test(id);
}

function text(value: unknown): string | null {
	if (typeof value === 'string') return value;
	if (typeof value === 'number') return String(value);
	return null;
}

function num(value: unknown): number | null {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && value.trim() && Number.isFinite(Number(value)))
		return Number(value);
	return null;
}

function objectOf(value: unknown): IDataObject {
	return isObject(value) ? value : {};
}

/** Where a field may be: at the top, or inside a `data` wrapper (object, or first of a list). */
function layersOf(raw: IDataObject): IDataObject[] {
	const data = Array.isArray(raw.data) ? objectOf(raw.data[0]) : objectOf(raw.data);
	return [raw, data];
}

function first(raw: IDataObject, names: string[], accept: (value: unknown) => boolean): unknown {
	for (const layer of layersOf(raw)) {
		for (const name of names) if (accept(layer[name])) return layer[name];
	}
	return undefined;
}

const isHttpUrlText = (value: unknown) => typeof value === 'string' && /^https?:\/\//i.test(value);
const isText = (value: unknown) =>
	(typeof value === 'string' && value.trim() !== '') || typeof value === 'number';

/** `video_url` is documented as optional; sibling routes put the URL elsewhere. */
export function videoUrlOf(raw: IDataObject): string | null {
	return (first(raw, ['video_url', 'url', 'output'], isHttpUrlText) as string | undefined) ?? null;
}

/** `id`, else `task_id`, also inside a `data` wrapper; empty strings do not count. */
export function taskIdOf(raw: IDataObject): string | undefined {
	return text(first(raw, ['id', 'task_id'], isText))?.trim();
}

/** Failure details are not documented for Veo: `error` object, `error` text or `fail_reason`. */
export function failureReasonOf(raw: IDataObject): string | null {
	for (const layer of layersOf(raw)) {
		const error = layer.error;
		if (typeof error === 'string' && error.trim()) return error;
		const inner = objectOf(error);
		for (const value of [inner.message, inner.code, layer.fail_reason, layer.failure_reason]) {
			if (typeof value === 'string' && value.trim()) return value;
		}
	}
	return null;
}

export function normaliseTask(raw: IDataObject, fallbackId?: string): VideoTask {
	const layer = (name: string) =>
		first(raw, [name], (value) => value !== undefined && value !== null);
	const id = taskIdOf(raw) ?? fallbackId ?? '';
	const error = failureReasonOf(raw);
	let status = normaliseStatus(first(raw, ['status', 'state'], isText));
	// An answer with a failure reason and no status is a failure, not a job to wait on.
	if (error && status === 'unknown') status = 'failed';
	return {
		id,
		status,
		progress: num(layer('progress')),
		model: text(layer('model')),
		size: text(layer('size')),
		seconds: text(layer('seconds')) || null,
		created_at: num(layer('created_at')),
		completed_at: num(layer('completed_at')),
		video_url: videoUrlOf(raw),
		error,
		raw,
	};
}
