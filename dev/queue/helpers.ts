import type { CometApiSimulator, TaskStep } from '../simulator';
import type { QueueCluster } from './cluster';
import { waitFor } from './processes';

export interface ExecutionRow {
	id: string;
	status: string;
	workflowId: string;
	startedAt: string | null;
	stoppedAt: string | null;
}

export interface BinaryRow {
	executionId: string;
	fileName: string;
	mimeType: string;
	fileSize: number;
	sha256: string;
}

const FINAL = ['success', 'error', 'crashed', 'canceled'];

/** The highest execution id so far: executions of a step are those above it. */
export async function lastExecutionId(cluster: QueueCluster): Promise<number> {
	const [row] = await cluster.pg.query<{ max: number }>(
		'select coalesce(max(id), 0) as max from execution_entity',
	);
	return Number(row.max);
}

export async function executionsAfter(
	cluster: QueueCluster,
	afterId: number,
): Promise<ExecutionRow[]> {
	return (
		await cluster.pg.query<ExecutionRow>(
			`select id::text as id, status, "workflowId", "startedAt", "stoppedAt" from execution_entity where id > ${afterId} order by id`,
		)
	).map((row) => ({ ...row, id: String(row.id) }));
}

/** Waits until `count` executions above `afterId` have ended (success, error, crashed or canceled). */
export async function waitForEnded(
	cluster: QueueCluster,
	afterId: number,
	count: number,
	timeoutMs: number,
): Promise<ExecutionRow[]> {
	return await waitFor(
		`${count} executions to end`,
		async () => {
			const rows = await executionsAfter(cluster, afterId);
			const ended = rows.filter((row) => FINAL.includes(row.status));
			return ended.length >= count ? rows : undefined;
		},
		timeoutMs,
		500,
	);
}

/** The files n8n's `database` binary mode stored for these executions, with their sha256. */
export async function storedBinaries(
	cluster: QueueCluster,
	executionIds: string[],
): Promise<BinaryRow[]> {
	if (executionIds.length === 0) return [];
	return await cluster.pg.query<BinaryRow>(
		`select "sourceId" as "executionId", "fileName", "mimeType", "fileSize", encode(sha256(data), 'hex') as sha256
		 from binary_data where "sourceType" = 'execution' and "sourceId" in (${executionIds.map((id) => `'${Number(id)}'`).join(',')})`,
	);
}

/** Ids the node logged as accepted (`CometAPI accepted video job <id> for item N`). */
export function acceptedJobIds(log: string): string[] {
	return [...log.matchAll(/CometAPI accepted video job (\S+) for item \d+/g)].map(
		(match) => match[1],
	);
}

/** A job that stays in progress for `steps` polls, then completes. */
export function longJob(steps = 500): { steps: TaskStep[] } {
	return {
		steps: [
			{ status: 'queued', progress: 0 },
			...Array.from({ length: steps }, (_, index) => ({
				status: 'in_progress',
				progress: Math.min(99, 1 + index),
			})),
			{ status: 'completed', progress: 100 },
		],
	};
}

/** Largest number of the given tasks whose [create, last request] intervals overlap. */
export function maxOverlap(sim: CometApiSimulator, taskIds: string[]): number {
	const events: Array<[number, number]> = [];
	for (const id of taskIds) {
		const seqs = sim.requestsFor(id).map((request) => request.seq);
		const task = sim.tasks.get(id);
		if (!task || seqs.length === 0) continue;
		events.push([task.createSeq, 1], [Math.max(...seqs), -1]);
	}
	events.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
	let now = 0;
	let most = 0;
	for (const [, delta] of events) {
		now += delta;
		most = Math.max(most, now);
	}
	return most;
}
