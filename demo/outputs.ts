/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the command-line demo's files, not node code */
/**
 * What the demo leaves in out/: a video per item and a summary (demo-result.json) naming them.
 * out/ is not the demo's alone (a user may keep files there), so a new run removes only what
 * the previous run's summary names, and the summary is written before each video so that even
 * a run cut short is cleared by the next.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { IDataObject } from 'n8n-workflow';

export const SUMMARY_FILE = 'demo-result.json';

/** Removes the files the previous run's summary names directly in `out`, then the summary. */
export function clearPreviousOutputs(out: string): string[] {
	const summary = join(out, SUMMARY_FILE);
	if (!existsSync(summary)) return [];
	let entries: unknown;
	try {
		entries = JSON.parse(readFileSync(summary, 'utf8'));
	} catch {
		entries = [];
	}
	const files = (Array.isArray(entries) ? (entries as IDataObject[]) : [])
		.map((entry) => entry?.file)
		.filter((file): file is string => typeof file === 'string')
		.filter((file) => dirname(resolve(out, file)) === resolve(out));
	for (const file of [...files, summary]) rmSync(resolve(out, file), { force: true });
	return [...files, summary];
}

/** Where an item's video goes: in `out`, under the node's file name (never a path of its own). */
export function videoPath(out: string, fileName: string | undefined, id: unknown): string {
	return join(out, basename(fileName || `${String(id)}.mp4`));
}

export function writeSummary(out: string, summary: IDataObject[]): string {
	const file = join(out, SUMMARY_FILE);
	writeFileSync(file, JSON.stringify(summary, null, 2));
	return file;
}

/**
 * One line per output item: `item 0: video_1 completed -> out/video_1.mp4`, or for a failed
 * item (Continue On Fail: `error`, the job if any in `details`)
 * `item 1 failed (job video_2, in_progress): Could not reach ...`.
 */
export function itemLine(index: number, json: IDataObject, file?: string): string {
	if (file) return `item ${index}: ${[json.id, json.status].filter(Boolean).join(' ')} -> ${file}`;
	const details = (json.details ?? {}) as IDataObject;
	const job = [details.id ?? json.id, details.status ?? json.status].filter(Boolean);
	const about = job.length > 0 ? ` (job ${job.join(', ')})` : '';
	const error = typeof json.error === 'string' && json.error ? json.error : 'no video';
	return `item ${index} failed${about}: ${error}`;
}
