import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { VideoTask } from '../cometapi/task';
import type { DescribedError } from '../transport/errors';
import type { NodeError } from './node-error';
import { answerOfError, failureOfError } from './node-error';

/** What a job hands back: an output item before it is paired with its input. */
export type JobResult = Omit<INodeExecutionData, 'pairedItem'> & { json: IDataObject };

/**
 * The batch's record of its jobs, one unit per output item, and what is made of it: the output
 * items, and the error that names every job CometAPI accepted or may have accepted.
 */

/** One output item to be: an input item's variant, or the item itself when its input was bad. */
export interface Unit {
	itemIndex: number;
	/** The operation makes numbered videos (Create): every output carries its variant. */
	numbered: boolean;
	variant: number;
	variants: number;
	outcome?: { kind: 'done'; result: JobResult } | { kind: 'failed'; error: NodeError };
	task?: VideoTask;
	/** Its create was sent and no answer settled it. */
	inDoubt?: boolean;
}

/** A job CometAPI certainly did not take: it has a plan, and no create accepted or in doubt. */
export function notTaken(unit: Unit & { plan?: unknown }): boolean {
	return (
		unit.plan !== undefined && unit.outcome?.kind !== 'done' && !unit.task && unit.inDoubt !== true
	);
}

const NOT_RUN = { kind: 'stopped', retryable: true, message: 'Not run' };

export function toItem(unit: Unit): INodeExecutionData {
	const pairedItem = { item: unit.itemIndex };
	if (unit.outcome?.kind === 'done') {
		const { result } = unit.outcome;
		const json: IDataObject = { ...result.json };
		if (unit.numbered) json.variant = unit.variant;
		// A job that ended without a failure says so: a workflow routes on `failure` alone.
		json.failure ??= null;
		return { ...result, json, pairedItem };
	}
	// Only error/message/details keys: n8n sends such an item to the error output when the node
	// has one (an `error` property would make n8n drop the rest of the json). The job travels in
	// details, so its id is never lost.
	const details: IDataObject = {};
	const error = unit.outcome?.error;
	// CometAPI's answer stays in raw, as on a success item: the task as last read or, for a
	// refused request, the refusal, so words the node does not know can still be read.
	if (unit.task) Object.assign(details, unit.task);
	else if (error && answerOfError(error)) details.raw = answerOfError(error);
	if (unit.numbered) details.variant = unit.variant;
	if (error?.description) details.description = error.description;
	details.failure = (error ? failureOfError(error) : NOT_RUN) as unknown as IDataObject;
	const json: IDataObject = { error: error?.message ?? 'Not run' };
	json.details = details;
	return { json, pairedItem };
}

/** Accepted jobs are billed: their ids go into the error so the user can still fetch them. */
export function withKnownJobs(error: DescribedError, units: Unit[]): DescribedError {
	const name = (unit: Unit) =>
		unit.variants > 1 ? `item ${unit.itemIndex} video ${unit.variant}` : `item ${unit.itemIndex}`;
	const notes: string[] = [];
	const known = units.flatMap((unit) => (unit.task ? [{ ...unit, task: unit.task }] : []));
	if (known.length > 0) {
		const list = known.map((unit) => `${name(unit)}: ${unit.task.id} (${unit.task.status})`);
		notes.push(`Jobs CometAPI accepted (retrieve them by ID): ${list.join(', ')}`);
	}
	// A create sent without a settling answer (cut off, stopped, or answered unclearly) may be
	// a billed job whose id the node never learned.
	const inDoubt = units.filter((unit) => unit.inDoubt && !unit.task).map(name);
	if (inDoubt.length > 0) {
		notes.push(
			`Creates sent whose outcome is unknown (CometAPI may have accepted them: check your CometAPI task list before running them again): ${inDoubt.join(', ')}`,
		);
	}
	if (notes.length === 0) return error;
	const note = notes.join('\n');
	error.description = error.description ? `${error.description}\n${note}` : note;
	return error;
}
